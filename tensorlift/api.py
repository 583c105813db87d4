"""The Python API, which the CLI formats. A file path or C source text is accepted; `flags`
are the compiler flags of the user's build (see `c.flags.BuildFlags`).

    kernels("blas.c")                        # the functions worth lifting in a file
    analyze("blas.c", "gemv")                # roles, shapes, examples
    lift("blas.c", "gemv", timeout=20)       # the program, checked and proved
    verify("blas.c", "y(i) = A(i,j) * x(j)", "gemv")
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Optional, Union

from .budget import Budget
from .c import ast as A
from .c.frontend import load_kernel, parse
from .c.roles import FrontEnd
from .c.sizecases import size_cases
from .errors import TensorliftError
from .pipeline import LiftOptions, LiftResult, flag_intervals_of, kernel_cases, lift, prepare
from .taco.guards import case_condition
from .taco.ir import Guarded, Program
from .taco.parse import parse_program
from .verify.result import VerifyResult, least_bounds, weakest

if TYPE_CHECKING:
    from .c.analysis import Analysis
    from .signature import Example, Signature

Source = Union[str, Path, A.Kernel]
"""A file, C source text, or a kernel the front end already read (`parse(...).kernel(name)`)."""


def _kernel(source: Source, function, flags, language) -> A.Kernel:
    return source if isinstance(source, A.Kernel) else load_kernel(source, function, flags, language)


@dataclass
class AnalyzeResult:
    signature: Signature
    examples: list[Example]
    analysis: Analysis = field(repr=False)

    def to_json(self) -> dict:
        d = self.signature.to_json()
        d["examples"] = [e.to_json() for e in self.examples]
        return d


def kernels(source: Source, flags: Optional[list[str]] = None, language: Optional[str] = None) -> list[str]:
    """The functions of a file worth lifting: defined in it, not `main`, taking or returning
    arrays (or using global arrays)."""
    return parse(source, flags, language).candidates()


def analyze(source: Source, function: Optional[str] = None, *, examples: int = 3, seed: int = 0,
            flags: Optional[list[str]] = None, language: Optional[str] = None,
            timeout: float = 60.0) -> AnalyzeResult:
    kernel = _kernel(source, function, flags, language)
    front = FrontEnd.of(kernel)
    wheres = size_cases(kernel, front.dims)      # a kernel that checks its sizes: the first case
    analysis, exs = prepare(kernel, Budget(timeout), examples, seed, where=wheres[0] if wheres else None,
                            front=front)
    return AnalyzeResult(analysis.signature, exs, analysis)


def verify(source: Source, program, function: Optional[str] = None, *, bound: int = 3,
           timeout: float = 300.0, flags: Optional[list[str]] = None, language: Optional[str] = None):
    """Prove a program (TACO text or a Program) equivalent to the C for all sizes 1..bound
    (further where the kernel's loops ask for it), case by case: a guarded program's case for
    each case of the flags and the size checks, a plain program for every case."""
    from .verify.prove import Verifier          # z3: only when proving
    if not isinstance(program, (Program, Guarded)):
        program = parse_program(program)
    kernel = _kernel(source, function, flags, language)
    budget = Budget(timeout)
    front = FrontEnd.of(kernel)
    intervals = flag_intervals_of(front) if isinstance(program, Guarded) else {}
    cases = kernel_cases(front, intervals)
    proofs = []
    for k, (where, case, fixed) in enumerate(cases):
        analysis, _ = prepare(kernel, budget, 1, 0, fixed, smoke=k == 0, where=where, front=front)
        verifier = Verifier(analysis, bound)
        when = str(case_condition(intervals, where, [case])) if len(cases) > 1 else None
        chosen = program
        if isinstance(program, Guarded):
            at = {**analysis.sizes(analysis.base), **fixed}
            chosen = next((p for cond, p in program.cases if cond.holds(at)), None)
        try:
            if chosen is None:
                raise TensorliftError("no case of the program covers it")
            got = verifier.prove(chosen, timeout=max(1.0, budget.left()))
        except TensorliftError as e:
            if when is None:
                raise
            got = VerifyResult("refuted", bound, verifier.model, reason=str(e))    # the case has no such output
        if got.verdict != "proved":
            if when is not None:
                got.reason = f"when {when}: {got.reason}" if got.reason else f"when {when}"
            return got
        proofs.append(got)
    result = proofs[0]
    result.cases = sum(p.cases for p in proofs)
    result.seconds = sum(p.seconds for p in proofs)
    bounds = [p.bound for p in proofs if p.bound is not None]
    result.bound = min(bounds) if bounds else None
    result.bounds = least_bounds([p.bounds for p in proofs])
    result.scope = weakest(p.scope for p in proofs)
    return result


__all__ = ["analyze", "kernels", "lift", "verify", "AnalyzeResult", "LiftOptions", "LiftResult"]
