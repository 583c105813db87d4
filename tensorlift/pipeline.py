"""The lifting pipeline: analysis, examples, guidance, grammar, search, check (and verify).

Each output gets its own statement, searched in the order the C code writes the
outputs, so a later statement can read what an earlier one computed (a temporary).
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional, Union

from .analysis import Analysis, analyze_kernel
from .check import Checker, check_program
from .errors import TensorliftError
from .examples import make_examples
from .frontend import load_kernel
from .grammar import build_grammar
from .guide import Guidance, no_guidance, static_guidance, write_order
from .ir import Program
from .search import Search
from .signature import Example
from .verify import Verifier

GUIDES = ("static", "none")


@dataclass
class LiftResult:
    function: str
    status: str                                 # "lifted" | "failed" | "error"
    program: Optional[Program] = None
    guide: str = "static"
    candidates: int = 0
    seconds: float = 0.0
    examples_checked: int = 0
    verification: str = "not-run"               # "proved" | "unknown" | "not-run"
    verification_bound: Optional[int] = None
    verification_model: Optional[str] = None    # "integers" | "reals"
    verification_seconds: float = 0.0
    verification_reason: Optional[str] = None   # why "unknown"
    refuted: int = 0                            # candidates that passed the examples but were refuted
    error: Optional[str] = None
    searched: Optional[str] = None              # what was searched, when nothing was found
    analysis: Optional[Analysis] = field(default=None, repr=False)
    examples: list[Example] = field(default_factory=list, repr=False)

    def to_json(self) -> dict:
        return {
            "function": self.function, "status": self.status,
            "program": str(self.program) if self.program is not None else None,
            "guide": self.guide, "candidates": self.candidates,
            "seconds": round(self.seconds, 4), "examples_checked": self.examples_checked,
            "verification": self.verification, "verification_bound": self.verification_bound,
            "verification_model": self.verification_model, "refuted": self.refuted,
            "error": self.error,
        }


def lift(source: Union[str, Path], function: Optional[str] = None, *, timeout: float = 60.0,
         guide: str = "static", examples: int = 6, seed: int = 0, verify: str = "bounded",
         bound: int = 3) -> LiftResult:
    """Lift a C kernel (a path or C source text) to a TACO program checked on examples and,
    unless `verify="none"`, proved equivalent for all sizes up to `bound`. Bad input raises
    TensorliftError; a kernel that is not found in time gives status "failed"."""
    start = time.monotonic()
    if guide not in GUIDES:
        raise TensorliftError(f"unknown guide '{guide}' (choose from {', '.join(GUIDES)})")
    if verify not in ("bounded", "none"):
        raise TensorliftError(f"unknown verification '{verify}' (choose from bounded, none)")
    kernel = load_kernel(source, function)
    analysis = analyze_kernel(kernel)
    exs = make_examples(analysis, examples, seed=seed)
    result = LiftResult(kernel.name, "failed", guide=guide, analysis=analysis, examples=exs)
    deadline = start + timeout
    guidance = static_guidance(analysis) if guide == "static" else no_guidance(analysis)
    verifier = Verifier(analysis, bound) if verify == "bounded" else None
    program = synthesize(analysis, exs, guidance, deadline, result, verifier)
    if program is not None:
        result.status = "lifted"
        result.program = program
        result.examples_checked = len(exs)
    result.seconds = time.monotonic() - start
    return result


def synthesize(analysis: Analysis, exs: list[Example], guidance: Guidance, deadline: float,
               result: LiftResult, verifier: Optional[Verifier] = None) -> Optional[Program]:
    """One statement per output, each the cheapest that matches the examples and that the
    verifier does not refute (a refuted candidate is dropped and the search goes on)."""
    sig = analysis.signature
    order = write_order(analysis)
    if not order:
        result.searched = "nothing: the kernel writes no array and returns no value"
        return None
    readable = {p.name for p in sig.arrays if p.access in ("read", "readwrite")}
    statements = []
    verdicts = []
    done: list[str] = []
    avoid = {p.name for p in sig.params} | {sig.function}
    for out in order:
        operands = readable | set(done)
        g = build_grammar(analysis, out, guidance.outputs.get(out) or no_guidance(analysis).outputs[out],
                          operands)
        search = Search(g, avoid)
        chosen = None
        for stmt in search.passing(Checker(sig, exs, out, done), deadline):
            if verifier is None:
                chosen = stmt
                break
            proof = verifier.prove(Program(tuple(statements) + (stmt,)), outputs=done + [out],
                                   timeout=max(1.0, deadline - time.monotonic()))
            result.verification_seconds += proof.seconds
            if proof.verdict == "refuted":
                result.refuted += 1
                continue
            verdicts.append(proof)
            chosen = stmt
            break
        result.candidates += search.candidates
        if chosen is None:
            why = "searched every program of the grammar" if search.exhausted else "time limit reached"
            result.searched = f"no program for '{out}' after {search.candidates} candidates ({why})"
            return None
        statements.append(chosen)
        done.append(out)
    program = Program(tuple(statements))
    if not check_program(program, sig, exs):   # the statements together, as the user will run them
        result.searched = "the per-output statements disagree with the examples when run together"
        return None
    if verifier is not None:
        unknown = [v for v in verdicts if v.verdict != "proved"]
        result.verification = "unknown" if unknown else "proved"
        result.verification_bound = verifier.bound
        result.verification_model = verifier.model
        result.verification_reason = unknown[0].reason if unknown else None
    return program
