"""Programs for the cases of a kernel's flags and size checks, put together: cases that got
the same program merge, and their conditions are written as simply as the cases allow."""
from __future__ import annotations

import itertools
from typing import Optional, Union

from .ir import Condition, Guarded, Interval, Program


def cases_of(intervals: dict[str, list[Interval]]) -> list[dict[str, Interval]]:
    """Every combination of one interval per flag, in a stable order."""
    names = list(intervals)
    return [dict(zip(names, combo)) for combo in itertools.product(*(intervals[n] for n in names))]


def guard(intervals: dict[str, list[Interval]],
          programs: list[tuple[Optional[Condition], dict[str, Interval], Program, str]]
          ) -> tuple[Union[Program, Guarded], list[int]]:
    """One guarded program from the program of each case, a case being sizes (`where`, a
    case of the size checks; None: every size) and an interval per flag (a plain program
    when every case has the same one: then the cases change nothing). Cases merge when
    their programs and their `key`s (what else must agree, such as the arrays' shapes) are
    equal. Also returns, for each case of the result, the index of the first case it came
    from."""
    groups: dict[tuple, list] = {}
    for k, (where, case, prog, key) in enumerate(programs):
        groups.setdefault((str(prog), key), [prog, [], k])[1].append((where, case))
    merged = list(groups.values())
    if len(merged) == 1:
        return programs[0][2], [0]
    every_where = {str(w) for w, *_ in programs}
    return Guarded(tuple((_group_condition(intervals, members, every_where), prog) for prog, members, _ in merged)), \
        [k for *_, k in merged]


def case_condition(intervals: dict[str, list[Interval]], where: Optional[Condition],
                   cases: list[dict[str, Interval]]) -> Condition:
    """The sizes `where` (None: any) and the flag cases, as one condition."""
    flags = _condition(intervals, cases)
    if where is None:
        return flags
    return Condition(tuple(w + f for w in where.terms for f in flags.terms))


def _group_condition(intervals, members, every_where: set[str]) -> Condition:
    """The condition of the cases that got one program: by sizes, then by flags; the sizes
    are left out when the program holds for every case of them with the same flags."""
    by_where: dict[str, tuple] = {}
    for where, case in members:
        by_where.setdefault(str(where), (where, []))[1].append(case)
    flag_sets = {str(sorted(map(str, cases))) for _, cases in by_where.values()}
    if set(by_where) == every_where and len(flag_sets) == 1:
        return _condition(intervals, next(iter(by_where.values()))[1])
    terms = tuple(t for where, cases in by_where.values() for t in case_condition(intervals, where, cases).terms)
    return Condition(terms)


def _condition(intervals: dict[str, list[Interval]], cases: list[dict[str, Interval]]) -> Condition:
    """The union of the cases; as one conjunction when they form a product (each flag free
    to take any of its intervals independently), with the flags left unconstrained dropped."""
    names = list(intervals)
    projections = {n: sorted({c[n] for c in cases}, key=_order) for n in names}
    size = 1
    for n in names:
        size *= len(projections[n])
    if size == len({tuple(c[n] for n in names) for c in cases}):
        term = tuple((n, _merge(projections[n])) for n in names if len(projections[n]) < len(intervals[n]))
        return Condition((term,))
    return Condition(tuple(tuple((n, (c[n],)) for n in names) for c in cases))


def _order(iv: Interval):
    lo, hi = iv
    return (lo is not None, lo if lo is not None else 0)


def _merge(ivs: list[Interval]) -> tuple[Interval, ...]:
    """Adjacent intervals joined (`TA <= -1` and `TA == 0` are `TA <= 0`)."""
    out: list[list] = []
    for lo, hi in ivs:
        if out and out[-1][1] is not None and lo is not None and lo == out[-1][1] + 1:
            out[-1][1] = hi
        else:
            out.append([lo, hi])
    return tuple((lo, hi) for lo, hi in out)
