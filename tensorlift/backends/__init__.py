"""Back ends: a lifted program as code for the user's DSL, checked on the examples.

    emit(target, program, sig) -> str             source text
    run_emitted(target, source, sig, example)     runs it: {output name: value}
    check_emitted(target, source, sig, examples)  raises TensorliftError on a mismatch
    emit_checked(target, program, sig, examples)  emit, then check
    emit_result(target, lift_result)              emit_checked on a lifted result
    combine(target, sources, title)               one module of several kernels' code

Targets: "taco" (index notation text), "numpy", "torch", "jax" (a Python module with one
function named after the C function) and "tensora" (a Python module running the
statements through tensora). The Python function takes the C parameters in C order
(size and stride scalars are accepted and ignored) and returns the returned value first,
then every written array in C order: one value, or a tuple when there are several. It
never modifies its arguments.

Numbers follow C: int tensors compute in int64 with C's truncating `/`, anything with a
float computes in float64, and a float value assigned to an int tensor is truncated toward
zero. Outputs come back in their C type: int -> int32, float -> float32, double ->
float64 (NumPy arrays / scalars, torch tensors, jax arrays). The "taco" text is checked by
reading it back and running it through the NumPy back end.
"""
from __future__ import annotations

from ..modes import TARGETS, Target
from .combine import combine
from .targets import NEEDS, SUFFIX, check_target, missing_library, targets_of

__all__ = ["NEEDS", "SUFFIX", "TARGETS", "Target", "check_target", "combine", "emit", "function_name",
           "missing_library", "targets_of", "run_emitted", "check_emitted", "emit_checked", "emit_result"]


def __getattr__(name: str):
    """The emitters (code.py) and running and checking their code (check.py, NumPy) are
    imported when first used: the targets are read before the harness compile starts."""
    if name in ("emit", "function_name"):
        from . import code
        return getattr(code, name)
    if name in ("run_emitted", "check_emitted", "emit_checked", "emit_result"):
        from . import check
        return getattr(check, name)
    raise AttributeError(name)
