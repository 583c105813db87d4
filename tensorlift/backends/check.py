"""Running emitted code on the examples and comparing it with the C results."""
from __future__ import annotations

import copy
import re
import warnings
from typing import Iterable, Optional

import numpy as np

from .. import carith
from ..errors import TensorliftError
from ..signature import Example, Signature
from ..synth.check import example_env, input_scale
from ..taco.typing import dtypes_of
from ..taco.ir import Program
from ..taco.parse import parse_program
from .arrays import emit_array_code
from .code import emit, function_name
from .targets import NEEDS, check_target, missing_library


def run_emitted(target: str, source: str, sig: Signature, example: Example, case_sigs=None) -> dict:
    """Runs emitted source on an example's inputs; returns {output name: NumPy value} in
    `sig.outputs` order (arrays for arrays, NumPy scalars for the returned value). TACO
    text is read back and run through the NumPy back end."""
    check_target(target)
    if target == "taco":
        source = emit_array_code("numpy", parse_program(source), sig, case_sigs)
    ns: dict = {"__name__": f"tensorlift_emitted_{target}"}
    try:
        exec(compile(source, f"<tensorlift {target} code for {sig.function}>", "exec"), ns)
    except ImportError as e:
        if target in NEEDS:
            raise TensorliftError(missing_library(target)) from e
        raise TensorliftError(f"{target} code for {sig.function} does not import: {e}") from e
    except Exception as e:
        raise TensorliftError(f"{target} code for {sig.function} does not load: "
                              f"{type(e).__name__}: {e}") from e
    fn = ns.get(function_name(sig))
    if not callable(fn):
        raise TensorliftError(f"{target} code defines no function {function_name(sig)}")
    inputs = example_env(example, sig)   # a write-only output is passed as the zeros the C call started from
    if case_sigs:       # an array another case of the flags uses: zeros, for its shape
        inputs.update({p.name: z for p in sig.call_params if p.name not in inputs and p.kind == "array"
                       and (z := _zeros(p, {**example.sizes, **example.inputs})) is not None})
    missing = [p.name for p in sig.call_params if p.name not in inputs]
    if missing:
        raise TensorliftError(f"the example has no input for {', '.join(missing)}")
    originals = [inputs[p.name] for p in sig.call_params]
    args = [copy.deepcopy(v) for v in originals]
    try:
        with np.errstate(all="ignore"), warnings.catch_warnings():   # log(0) is -inf, as in C, not a warning
            warnings.simplefilter("ignore")
            result = fn(*args)
    except Exception as e:
        raise TensorliftError(f"{target} code for {sig.function} failed: "
                              f"{type(e).__name__}: {e}") from e
    for p, before, after in zip(sig.call_params, originals, args):
        if not _same(before, after):
            raise TensorliftError(f"{target} code for {sig.function} modifies its argument {p.name}")
    names = sig.outputs
    values = [result] if len(names) == 1 else result
    if len(names) != 1 and (not isinstance(values, (tuple, list)) or len(values) != len(names)):
        raise TensorliftError(f"{target} code for {sig.function} should return "
                              f"{len(names)} values ({', '.join(names)})")
    out = {}
    for name, v in zip(names, values):
        arr = _to_numpy(v)
        out[name] = arr[()] if name == sig.function and sig.returns and sig.returns_shape is None else arr
    return out


def check_emitted(target: str, source: str, sig: Signature, examples: Iterable[Example],
                  rtol: Optional[float] = None, case_sigs=None) -> None:
    """Runs the source on every example and compares each output with the C result under
    the policy of `carith.close` (`rtol` overrides its tolerance). Raises TensorliftError
    naming the target, the output and the example index at the first mismatch."""
    dtypes = dtypes_of(sig)
    tol = carith.tolerance(dtypes.values()) if rtol is None else rtol
    for k, ex in enumerate(examples):
        try:
            got = run_emitted(target, source, sig, ex, case_sigs)
        except TensorliftError as e:
            raise TensorliftError(f"target {target}, example {k}: {e}") from e
        for name in sig.outputs:
            # a case of a guarded program may leave an output alone (as it was given), or not
            # have it at all (the arrays of another case of the flags)
            want = ex.outputs[name] if name in ex.outputs else ex.inputs.get(name) if case_sigs else None
            if want is None and case_sigs:
                continue
            if want is None:
                raise TensorliftError(f"example {k} has no value for the output {name}")
            problem = _compare(got[name], want, dtypes[name], tol, input_scale(ex))
            if problem:
                raise TensorliftError(f"target {target}: output {name} differs from the C "
                                      f"result on example {k}: {problem}")


def emit_checked(target: str, program: Program, sig: Signature,
                 examples: Iterable[Example], rtol: Optional[float] = None, case_sigs=None) -> str:
    """`emit`, then `check_emitted` on the examples; returns the source."""
    source = emit(target, program, sig, case_sigs)
    check_emitted(target, source, sig, examples, rtol, case_sigs)
    return source


def emit_result(target: str, result) -> str:
    """The code of a lifted `LiftResult` for `target`, checked on the result's examples."""
    return emit_checked(target, result.program, result.analysis.signature, result.examples,
                        case_sigs=result.case_signatures or None)


# ---------------------------------------------------------------------- helpers

def _zeros(p, values: dict) -> Optional[np.ndarray]:
    """Zeros of an array's shape (expressions over sizes such as `p.child[0].d[0]` or
    `NI*NJ`) at an example's sizes, or None when a size is not known."""
    shape = []
    for dim in p.shape or []:
        text = dim
        for name in sorted(values, key=len, reverse=True):
            if name in text and np.ndim(values[name]) == 0:
                text = text.replace(name, str(int(values[name])))
        if not re.fullmatch(r"[\d+\-* ()]+", text):
            return None
        shape.append(max(0, int(eval(text, {"__builtins__": {}}))))   # digits and + - * only
    return np.zeros(shape, dtype=np.int64 if carith.is_int(p.dtype) else np.float64)


def _to_numpy(v) -> np.ndarray:
    if hasattr(v, "detach"):              # torch
        v = v.detach().cpu().numpy()
    return np.asarray(v)


def _same(a, b) -> bool:
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        a, b = np.asarray(a), np.asarray(b)
        return a.shape == b.shape and a.dtype == b.dtype and \
            np.array_equal(a, b, equal_nan=a.dtype.kind in "fc")
    try:
        return bool(a == b) or (a != a and b != b)
    except Exception:
        return True


def _compare(got: np.ndarray, want, ctype: str, rtol: float, scale: float) -> str:
    want = np.asarray(want)
    got = np.asarray(got)
    if got.shape != want.shape:
        return f"shape {got.shape}, expected {want.shape}"
    if got.dtype.kind not in "iufb":
        return f"dtype {got.dtype} is not numeric"
    if carith.is_int(ctype) and got.dtype.kind not in "iub":
        return f"dtype {got.dtype} where C has an integer type"
    bad = ~carith.close(got.astype(np.float64) if got.dtype.kind == "f" else got.astype(np.int64),
                        want, ctype, rtol, scale)
    if not np.any(bad):
        return ""
    idx = tuple(int(i) for i in np.argwhere(bad)[0])
    at = f" at {list(idx)}" if idx else ""
    return (f"{np.count_nonzero(bad)} of {bad.size} elements differ; first{at}: "
            f"got {got[idx]!r}, expected {want[idx]!r}")
