"""What a proof came to: its verdict and scope, as the prover, the pipeline and the API read it
(no z3 here: the pipeline reads results before it loads the prover)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Literal, Optional

Verdict = Literal["proved", "refuted", "unknown"]
Scope = Literal["all-sizes", "bounded", "fixed-sizes"]
Model = Literal["integers", "reals"]

SCOPES: tuple[Scope, ...] = ("all-sizes", "bounded", "fixed-sizes")
"""What a proof covers: every size (by induction over the loops), every size up to a bound,
or the kernel's one fixed size."""


@dataclass
class VerifyResult:
    verdict: Verdict
    bound: Optional[int]                 # every combination of sizes 1..bound is covered; None: sizes fixed
    model: Model
    counterexample: Optional[dict] = None
    seconds: float = 0.0
    reason: Optional[str] = None         # why "unknown"
    cases: int = 0                       # size combinations proved
    scope: Optional[Scope] = None        # what "proved" covers; None unless proved
    bounds: Optional[dict] = None        # each free dimension's largest size covered (bounded proofs)
    unseen_store: bool = False           # the C can store where no example saw a store: not lifted

    def to_json(self) -> dict:
        d = {"verdict": self.verdict, "scope": self.scope, "bound": self.bound, "bounds": self.bounds,
             "model": self.model, "counterexample": self.counterexample, "seconds": round(self.seconds, 4)}
        if self.reason:
            d["reason"] = self.reason
        return d


def weakest(scopes: Iterable[Optional[str]]) -> Optional[Scope]:
    """What several proofs cover together: the weakest of their scopes (None: none given)."""
    given = set(scopes)
    return next((s for s in reversed(SCOPES) if s in given), None)


def least_bounds(bounds: list) -> Optional[dict]:
    """What several bounded proofs all cover: each dimension's smallest bound."""
    out: dict = {}
    for b in bounds:
        for d, n in (b or {}).items():
            out[d] = min(out.get(d, n), n)
    return out or None
