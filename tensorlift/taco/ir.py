"""The IR of TACO index notation, shared by every stage.

Nodes are frozen dataclasses so they hash: the search keeps sets of them and
the evaluator caches on them. Printing gives TACO text that `taco.parse` reads back.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Union

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
