"""A lifted program as source text for a target (the emitters: arrays.py, taco.py, tensora.py)."""
from __future__ import annotations

import importlib.util
from typing import TYPE_CHECKING

from ..errors import TensorliftError
from ..taco.ir import extension_used
from .arrays import emit_array_code
from .names import Namer
from .targets import NEEDS, check_target, missing_library
from .taco import emit_taco
from .tensora import emit_tensora

if TYPE_CHECKING:
    from ..signature import Signature
    from ..taco.ir import Program


def _require(target: str) -> None:
    if target in NEEDS:
        if importlib.util.find_spec(NEEDS[target][0]) is None:
            raise TensorliftError(missing_library(target))


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
