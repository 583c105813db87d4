"""What a program means, once for every stage that evaluates or translates one (the NumPy
evaluator, the verifier, the back ends' planner).

TACO's reduction rule: an index variable of the right side that the left side lacks, and
that no explicit reduction binds, is summed at the smallest subexpression that holds every
use of it, so `a(i) = B(i,j) * c(j) + d(i)` sums j inside the `+`. An explicit reduction
`max(j, e)` reduces its variables at itself; `max(e)` reduces every variable of `e` that the
left side lacks. Names inside index expressions that are sizes (`n` in `x(n-1-i)`) are not
variables.
"""
from __future__ import annotations

from collections import Counter

from .ir import Access, Reduce, children, index_names


def size_names(rhs, lhs_indices, scalars) -> frozenset:
    """The scalars that index expressions use as sizes (`n` in `x(n-1-i)`): a name used as a
    plain index anywhere in the statement is a variable, whatever scalar shares its name."""
    plain = set(v for v in lhs_indices if isinstance(v, str))

    def walk(e):
        if isinstance(e, Access):
            plain.update(i for i in e.indices if isinstance(i, str))
        for c in children(e):
            walk(c)
    walk(rhs)
    return frozenset(n for n in scalars if n not in plain)


def reduce_vars(node: Reduce, keep, sizes=frozenset()) -> tuple[str, ...]:
    """The variables a reduction reduces: its own, or every variable of its body not kept."""
    if node.vars:
        return node.vars
    return tuple(v for v in _order(node.body, sizes) if v not in keep)


def reduction_homes(rhs, keep, sizes=frozenset()) -> dict[int, tuple[str, ...]]:
    """Where each implicitly summed variable is summed: node id -> the variables summed at
    that node, in order of first use. `keep` names the variables never summed (the left
    side's); variables that a reduction binds are not summed implicitly."""
    keep = set(keep)
    order = _order(rhs, sizes)
    total: Counter = Counter()

    def count_all(e, bound):
        if isinstance(e, Access):
            total.update(v for i in e.indices for v in index_names(i) if v not in sizes and v not in bound)
        if isinstance(e, Reduce):
            bound = bound | set(reduce_vars(e, keep, sizes))
        for c in children(e):
            count_all(c, bound)
    count_all(rhs, frozenset())
    homes: dict[int, tuple[str, ...]] = {}

    def visit(e, bound) -> Counter:
        if isinstance(e, Access):
            uses, kids = Counter(v for i in e.indices for v in index_names(i)
                                 if v not in sizes and v not in bound), []
        else:
            inner = bound | set(reduce_vars(e, keep, sizes)) if isinstance(e, Reduce) else bound
            kids = [visit(c, inner) for c in children(e)]
            uses = sum(kids, Counter())
        here = tuple(v for v in order if v not in keep and v not in bound and total[v]
                     and uses[v] == total[v] and all(k[v] < total[v] for k in kids))
        if here:
            homes[id(e)] = here
        return uses
    visit(rhs, frozenset())
    return homes


def _order(e, sizes) -> list[str]:
    """Index variables in order of first use."""
    out: list[str] = []

    def walk(x):
        if isinstance(x, Access):
            for i in x.indices:
                for v in index_names(i):
                    if v not in sizes and v not in out:
                        out.append(v)
        for c in children(x):
            walk(c)
    walk(e)
    return out


__all__ = ["reduce_vars", "reduction_homes", "size_names"]
