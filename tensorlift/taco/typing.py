"""The static meaning of a program that every stage shares: which C type each name has, and
how far each index variable runs.

TACO's extent rule, once for the evaluator (shapes are ints), the bounded prover (ints) and
the prover for every size (extents are terms): the left side's shape, when the output has
one already, sets its variables, and an array on the right that is larger along such a
variable is read in part (a slice); any other variable takes the extent of the arrays it
indexes plainly, which must agree. An index expression (`x(i+k)`) sets no extent, and a
bare left-side variable on the right is a position used as a number, not a tensor. Where
each implicit sum goes is `semantics.reduction_homes`; the division-by-zero rule is
`ops.INT_DIVISION_BY_ZERO`.
"""
from __future__ import annotations

import operator
from typing import Callable, Optional, Sequence

from ..signature import Signature
from .ir import Access, Expr, accesses, is_index_value


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


__all__ = ["ExtentError", "extents", "dtypes_of"]
