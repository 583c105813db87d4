"""The static meaning of a program that every stage shares: which C type each name has, how
far each index variable runs, and the kind of every subexpression.

TACO's extent rule, once for the evaluator (shapes are ints), the bounded prover (ints) and
the prover for every size (extents are terms): the left side's shape, when the output has
one already, sets its variables, and an array on the right that is larger along such a
variable is read in part (a slice); any other variable takes the extent of the arrays it
indexes plainly, which must agree. An index expression (`x(i+k)`) sets no extent, and a
bare left-side variable on the right is a position used as a number, not a tensor. Where
each implicit sum goes is `semantics.reduction_homes`; the division-by-zero rule is
`ops.INT_DIVISION_BY_ZERO`.

Kinds follow C's usual conversions: "int" op "int" is "int", anything with a "float" is
"float", libm functions give "float", conditions are "bool" (0 or 1).
"""
from __future__ import annotations

import operator
from dataclasses import dataclass
from typing import Callable, Optional, Sequence

from .. import carith
from ..errors import TensorliftError
from ..signature import Signature
from .ir import Access, BinOp, Call, Const, Expr, Neg, Not, Reduce, accesses, children, index_names, is_index_value
from .ops import ARITHMETIC, ARITY, FUNCTIONS, LOGICAL, COMPARISONS
from .semantics import reduce_vars, reduction_homes


class ExtentError(ValueError):
    """Extents that disagree: the program has no value at these shapes."""


def dtypes_of(sig: Signature) -> dict[str, str]:
    """Every name a program may use -> its C type: the parameters, and the returned value
    under the function's name."""
    out = {p.name: p.dtype for p in sig.params}
    if sig.returns:
        out[sig.function] = sig.returns
    return out


def extents(lhs: Optional[Access], rhs: Expr, shape_of: Callable[[Access], Sequence],
            lhs_shape: Optional[Sequence] = None, equal=operator.eq, smaller=operator.lt,
            sizes=frozenset()) -> dict:
    """The extent of every index variable of `lhs = rhs` (of `rhs` alone when `lhs` is None).
    `shape_of(access)` gives the shape of a tensor the right side reads, `lhs_shape` the
    output's (None when it has no value yet); `equal` and `smaller` compare two extents
    (`smaller` None: a part read of a larger array is not checked, as for extents that are
    terms); names in `sizes` are not variables."""
    ext: dict = dict(zip(lhs.indices, lhs_shape)) if lhs is not None and lhs_shape is not None else {}
    fixed = set(ext)
    for a in accesses(rhs):
        if lhs is not None and is_index_value(a, lhs):
            continue                    # a position used as a number
        for v, n in zip(a.indices, shape_of(a)):
            if not isinstance(v, str) or v in sizes:
                continue
            if v in fixed:
                if smaller is not None and smaller(n, ext[v]):
                    raise ExtentError(f"index {v} runs to {ext[v]} but {a.name} has {n}")
            elif v not in ext:
                ext[v] = n
            elif not equal(ext[v], n):
                raise ExtentError(f"index {v} has extents {ext[v]} and {n}")
    return ext


def kind_of_ctype(ctype: str, what: str) -> str:
    if carith.is_int(ctype):
        return "int"
    if carith.is_float(ctype):
        return "float"
    raise TensorliftError(f"{what} has C type {ctype!r}; the back ends support {', '.join(carith.DTYPES)}")


def promote(*kinds: str) -> str:
    return "float" if "float" in kinds else "int"


@dataclass
class Node:
    """A subexpression with its kind, the variables summed right here, and the variables
    still free after that (in the statement's variable order)."""
    expr: Expr
    children: tuple["Node", ...]
    kind: str                    # "int" | "float" | "bool" (a condition)
    reduce: tuple[str, ...]
    free: tuple[str, ...]


def annotate(e: Expr, kinds: dict[str, str], order: tuple[str, ...], keep, sizes: frozenset, where: str,
             sums: bool = True) -> Node:
    """`e` (a right side, or with `sums` False a domain) as a tree of `Node`s: `kinds` gives
    each tensor's kind, `order` the statement's variables (the left side's `keep` first),
    `sizes` the names that are sizes in index expressions; `where` names the statement in
    errors."""
    homes = reduction_homes(e, keep, sizes) if sums else {}
    return _annotate(e, _Context(homes, order, kinds, where, frozenset(keep), sizes))


@dataclass
class _Context:
    homes: dict                  # node id -> variables implicitly summed there
    order: tuple[str, ...]
    kinds: dict[str, str]
    where: str
    keep: frozenset              # the left side's variables
    sizes: frozenset             # names that are sizes in index expressions


def _annotate(e: Expr, ctx: _Context) -> Node:
    where = ctx.where
    own: set[str] = set()
    if isinstance(e, Access):
        kids: tuple[Node, ...] = ()
        if not e.indices and e.name in ctx.keep:        # the position, as a number
            kind, own = "int", {e.name}
        else:
            kind = ctx.kinds[e.name]
            own = {v for i in e.indices for v in index_names(i) if v not in ctx.sizes}
    elif isinstance(e, Const):
        if isinstance(e.value, bool) or not isinstance(e.value, (int, float)):
            raise TensorliftError(f"{where}: unsupported constant {e.value!r}")
        kids = ()
        kind = "int" if isinstance(e.value, int) else "float"
    elif isinstance(e, (Neg, Not, BinOp, Call, Reduce)):
        kids = tuple(_annotate(x, ctx) for x in children(e))
        ck = [c.kind for c in kids]
        if isinstance(e, (Neg, Reduce)):
            kind = promote(*ck) if ck[0] == "bool" else ck[0]
        elif isinstance(e, Not) or (isinstance(e, BinOp) and e.op in COMPARISONS + LOGICAL):
            kind = "bool"
        elif isinstance(e, BinOp):
            if e.op not in ARITHMETIC:
                raise TensorliftError(f"{where}: unsupported operator {e.op!r}")
            kind = promote(*ck)
        else:
            if e.func not in FUNCTIONS or len(e.args) != ARITY[e.func]:
                raise TensorliftError(f"{where}: {e.func} takes {ARITY.get(e.func, 'no')} arguments")
            result = FUNCTIONS[e.func].result
            kind = "float" if result == "float" else promote(*(ck[1:] if result == "branches" else ck))
    else:
        raise TensorliftError(f"{where}: unsupported expression {e!r}")
    inner = own | {v for c in kids for v in c.free}
    if isinstance(e, Reduce):
        reduce = tuple(v for v in reduce_vars(e, ctx.keep, ctx.sizes) if v in inner)
    else:
        reduce = tuple(ctx.homes.get(id(e), ()))
    free = tuple(v for v in ctx.order if v in inner and v not in reduce)
    return Node(e, kids, kind, reduce, free)


__all__ = ["ExtentError", "Node", "annotate", "dtypes_of", "extents", "kind_of_ctype", "promote"]
