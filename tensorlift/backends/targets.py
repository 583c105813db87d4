"""The targets and emitting code for them (no NumPy here: the CLI reads the targets before the
harness compile starts; running and checking the code is backends/check.py)."""
from __future__ import annotations

import importlib.util
from typing import TYPE_CHECKING

from ..errors import TensorliftError
from ..modes import TARGETS
from ..taco.ir import extension_used
from .arrays import emit_array_code
from .names import Namer
from .taco import emit_taco
from .tensora import emit_tensora

if TYPE_CHECKING:
    from ..signature import Signature
    from ..taco.ir import Program

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
        return emit_taco(program, sig, case_sigs)
    if target == "tensora":
        return emit_tensora(program, sig)
    return emit_array_code(target, program, sig, case_sigs)


def function_name(sig: Signature) -> str:
    """The name of the function in emitted Python code (the C name, unless it is a keyword
    or a name the module uses itself)."""
    return Namer()(sig.function)


def targets_of(text: str) -> list[str]:
    """The targets of a comma-separated list (`--target numpy,jax`)."""
    targets = [t.strip() for t in text.split(",") if t.strip()]
    bad = [t for t in targets if t not in TARGETS]
    if bad or not targets:
        raise TensorliftError(f"unknown target '{(bad or [text])[0]}' (choose from {', '.join(TARGETS)})")
    return targets
