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

import importlib.util
from typing import TYPE_CHECKING

from ..errors import TensorliftError
from ..taco.ir import extension_used
from .combine import combine
from .names import Namer

if TYPE_CHECKING:
    from ..signature import Signature
    from ..taco.ir import Program

TARGETS = ("taco", "numpy", "torch", "jax", "tensora")
SUFFIX = {"taco": ".taco", "numpy": "_numpy.py", "torch": "_torch.py", "jax": "_jax.py", "tensora": "_tensora.py"}
"""How a file of each target's code ends (`gemv_numpy.py`)."""

# target -> (module that must be importable, what it is, extra to install)
NEEDS = {
    "torch": ("torch", "PyTorch", "torch"),
    "jax": ("jax", "JAX", "jax"),
    "tensora": ("tensora", "tensora", "tensora"),
}

def check_target(target: str) -> None:
    if target not in TARGETS:
        raise TensorliftError(f"unknown target {target!r}; valid targets: {', '.join(TARGETS)}")


def _require(target: str) -> None:
    if target in NEEDS:
        if importlib.util.find_spec(NEEDS[target][0]) is None:
            raise TensorliftError(missing_library(target))


def missing_library(target: str) -> str:
    module, what, extra = NEEDS[target]
    return f"target {target} needs {what}: pip install 'tensorlift[{extra}]'"


def emit(target: str, program: Program, sig: Signature, case_sigs=None) -> str:
    """Source text of `program` for `target`. Raises TensorliftError for an unknown target,
    a missing library, a program that does not fit the signature, or a construct the
    target cannot express. A guarded program (one program per case of the kernel's flags)
    comes with each case's signature in `case_sigs`."""
    check_target(target)
    _require(target)
    if target in ("taco", "tensora"):
        what = next((w for st in program.statements if (w := extension_used(st))), None)
        if what is not None:
            raise TensorliftError(f"target {target} cannot express {what} (plain TACO has no such "
                                  "construct): choose numpy, torch or jax")
    if target == "taco":
        from .taco import emit_taco
        return emit_taco(program, sig, case_sigs)
    if target == "tensora":
        from .tensora import emit_tensora
        return emit_tensora(program, sig)
    from .arrays import emit_array_code
    return emit_array_code(target, program, sig, case_sigs)


def function_name(sig: Signature) -> str:
    """The name of the function in emitted Python code (the C name, unless it is a keyword
    or a name the module uses itself)."""
    return Namer()(sig.function)


def __getattr__(name: str):
    """Running and checking emitted code needs NumPy; it is imported when first used."""
    if name in ("run_emitted", "check_emitted", "emit_checked", "emit_result"):
        from . import check
        return getattr(check, name)
    raise AttributeError(name)
