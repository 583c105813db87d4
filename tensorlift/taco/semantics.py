"""What a TACO program means, once for every stage that evaluates or translates one (the
NumPy evaluator, the verifier, the back ends' planner).

TACO's reduction rule: an index variable of the right side that the left side lacks is
summed at the smallest subexpression that holds every use of it, so
`a(i) = B(i,j) * c(j) + d(i)` sums j inside the `+`.
"""
from __future__ import annotations

from collections import Counter

from .ir import Access, BinOp, Call, Expr, Neg


def children(e: Expr) -> list[Expr]:
    if isinstance(e, BinOp):
        return [e.left, e.right]
    if isinstance(e, Neg):
        return [e.operand]
    if isinstance(e, Call):
        return list(e.args)
    return []


def reduction_homes(rhs: Expr, keep) -> dict[int, tuple[str, ...]]:
    """Where each summed variable is summed: node id -> the variables summed at that node, in
    order of first use. `keep` names the variables never summed (the left side's)."""
    keep = set(keep)
    order: list[str] = []
    total: Counter = Counter()

    def count_all(e):
        if isinstance(e, Access):
            for v in e.indices:
                if v not in total:
                    order.append(v)
                total[v] += 1
        for c in children(e):
            count_all(c)
    count_all(rhs)
    homes: dict[int, tuple[str, ...]] = {}

    def visit(e) -> Counter:
        if isinstance(e, Access):
            uses, kids = Counter(e.indices), []
        else:
            kids = [visit(c) for c in children(e)]
            uses = sum(kids, Counter())
        here = tuple(v for v in order if v not in keep and uses[v] == total[v]
                     and all(k[v] < total[v] for k in kids))
        if here:
            homes[id(e)] = here
        return uses
    visit(rhs)
    return homes
