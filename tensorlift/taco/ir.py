"""The IR of TACO index notation, shared by every stage.

Nodes are frozen dataclasses so they hash: the search keeps sets of them and
the evaluator caches on them. Printing gives TACO text that `taco.parse` reads back.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional, Union

BINARY_OPS = ("+", "-", "*", "/")
# Functions beyond plain TACO (element-wise); the IR carries them so that later
# stages can add them without a rewrite.
FUNCTIONS = ("min", "max", "exp", "sqrt", "abs")


@dataclass(frozen=True)
class Access:
    """A tensor access `A(i,j)`; a scalar (order-0 tensor) has no indices."""
    name: str
    indices: tuple[str, ...] = ()

    def __str__(self) -> str:
        return f"{self.name}({','.join(self.indices)})" if self.indices else self.name


@dataclass(frozen=True)
class Const:
    value: Union[int, float]

    def __str__(self) -> str:
        return repr(self.value) if isinstance(self.value, float) else str(self.value)


@dataclass(frozen=True)
class Neg:
    operand: "Expr"

    def __str__(self) -> str:
        return f"-{_wrap(self.operand, 3)}"


@dataclass(frozen=True)
class BinOp:
    op: str
    left: "Expr"
    right: "Expr"

    def __str__(self) -> str:
        p = _prec(self)
        # left-associative: the right operand needs brackets at equal precedence
        return f"{_wrap(self.left, p)} {self.op} {_wrap(self.right, p + 1)}"


@dataclass(frozen=True)
class Call:
    func: str
    args: tuple["Expr", ...]

    def __str__(self) -> str:
        return f"{self.func}({', '.join(str(a) for a in self.args)})"


Expr = Union[Access, Const, Neg, BinOp, Call]


@dataclass(frozen=True)
class Statement:
    """`lhs = rhs`, or `lhs += rhs` when `accumulate` (adds to the existing output)."""
    lhs: Access
    rhs: Expr
    accumulate: bool = False

    def __str__(self) -> str:
        return f"{self.lhs} {'+=' if self.accumulate else '='} {self.rhs}"


@dataclass(frozen=True)
class Program:
    """Statements run in order; a later one reads the values an earlier one wrote."""
    statements: tuple[Statement, ...]

    def __str__(self) -> str:
        return "; ".join(str(s) for s in self.statements)


Interval = tuple[Optional[int], Optional[int]]
"""Integers lo..hi, both included; None is unbounded."""


@dataclass(frozen=True)
class Condition:
    """Which values of integer flags a case covers: a union of terms, each a conjunction of one
    set of intervals per flag (`((("TA", ((0, 0),)), ("TB", ((None, -1), (1, None)))),)` is
    `TA == 0 and TB != 0`)."""
    terms: tuple[tuple[tuple[str, tuple[Interval, ...]], ...], ...]

    def holds(self, values: dict[str, int]) -> bool:
        return any(all(any(_inside(values[f], iv) for iv in ivs) for f, ivs in term) for term in self.terms)

    def __str__(self) -> str:
        texts = [" and ".join(_flag_text(f, ivs) for f, ivs in term) or "True" for term in self.terms]
        return texts[0] if len(texts) == 1 else " or ".join(f"({t})" for t in texts)


def _inside(v: int, iv: Interval) -> bool:
    lo, hi = iv
    return (lo is None or v >= lo) and (hi is None or v <= hi)


def _flag_text(f: str, ivs: tuple[Interval, ...]) -> str:
    if len(ivs) == 2 and ivs[0][0] is None and ivs[1][1] is None and ivs[0][1] is not None \
            and ivs[1][0] == ivs[0][1] + 2:
        return f"{f} != {ivs[0][1] + 1}"
    parts = []
    for lo, hi in ivs:
        if lo is not None and lo == hi:
            parts.append(f"{f} == {lo}")
        elif lo is None:
            parts.append(f"{f} <= {hi}")
        elif hi is None:
            parts.append(f"{f} >= {lo}")
        else:
            parts.append(f"{lo} <= {f} <= {hi}")
    return parts[0] if len(parts) == 1 else "(" + " or ".join(parts) + ")"


@dataclass(frozen=True)
class Guarded:
    """One program per case of the kernel's flags (`if (TA) ... else ...` choosing loop nests):
    each case checked and proved on its own."""
    cases: tuple[tuple[Condition, Program], ...]

    @property
    def statements(self) -> tuple[Statement, ...]:
        return tuple(st for _, p in self.cases for st in p.statements)

    def __str__(self) -> str:
        lines = []
        for k, (cond, prog) in enumerate(self.cases):
            lines.append(f"{'if' if k == 0 else 'elif'} {cond}:")
            lines += [f"    {st}" for st in prog.statements]
        return "\n".join(lines)


def _prec(e: Expr) -> int:
    if isinstance(e, BinOp):
        return 1 if e.op in "+-" else 2
    if isinstance(e, Neg):
        return 3
    return 4


def _wrap(e: Expr, min_prec: int) -> str:
    return f"({e})" if _prec(e) < min_prec else str(e)


def accesses(e: Expr):
    """Every tensor access in an expression, left to right."""
    if isinstance(e, Access):
        yield e
    elif isinstance(e, Neg):
        yield from accesses(e.operand)
    elif isinstance(e, BinOp):
        yield from accesses(e.left)
        yield from accesses(e.right)
    elif isinstance(e, Call):
        for a in e.args:
            yield from accesses(a)


def index_vars(e: Expr) -> set[str]:
    return {v for a in accesses(e) for v in a.indices}
