"""Checks of the sizes (`if (na != nb || na <= 0) return -1;`, `if (n != m) status = -3; else
{...}`, `if (n < 16) return -1;`): each way such checks can go is a case of the kernel, lifted
and proved on its own, with examples on its side of the checks (on the passing side, the
sizes it ties are tied).

A size check is the condition of an `if` or `?:` made only of comparisons between affine
expressions of size parameters, relating two of them or ending the call early, that goes
both ways for sizes >= 1 (`if (n <= 0) return;` never does: no case of it). A parameter such a check compares with a size is a size too
(`roles.scalar_roles`). A case gives each check a truth value; its sizes are a `Condition`
over the comparisons' affine expressions (`na-nb` in `((0, 0),)` is `na == nb`), and a case
no sizes >= 1 reach is dropped.
"""
from __future__ import annotations

import itertools
from typing import Callable, Optional

from .. import carith
from ..taco.ir import Condition, Interval, compare_intervals, complement_intervals, intersect_intervals, key_terms
from ..taco.parse import relation_key
from . import ast as A
from .affine import Affine, scaled
from .ast import field_path

MAX_CHECKS = 3
"""Size checks beyond this many (2**3 cases) are left to the bounded proof."""

Term = dict[str, list[Interval]]


def integer_names(kernel: A.Kernel, slots) -> set[str]:
    return {s.name for s in slots if s.kind == "scalar" and carith.is_int(s.dtype) and not s.is_global}


def size_checks(kernel: A.Kernel, names: set[str]) -> list[tuple]:
    """The checks of the parameters `names` in the kernel, each as a formula: ("atom", key,
    intervals), ("not", f), ("and" | "or", f, g); one per distinct condition that some sizes
    >= 1 make true and others false."""
    out, seen = [], set()
    for node in A.walk(kernel.function.body):
        if isinstance(node, (A.If, A.Cond)):
            f = _formula(node.cond, names)
            if f is None or repr(f) in seen or not (_relates(f) or _returns(node)):
                continue
            if _positive(_dnf(f, True)) and _positive(_dnf(f, False)):
                seen.add(repr(f))
                out.append(f)
    return out


def _relates(f) -> bool:
    """Whether a formula compares two parameters somewhere (`n != m`)."""
    if f[0] == "atom":
        return len(_key_names(f[1])) >= 2
    return any(_relates(g) for g in f[1:])


def _returns(node) -> bool:
    """Whether a branch of an `if` returns: a check of one size against a constant is a case
    when it ends the call early (`if (n < 16) return -1;`), not when it guards a store
    (`if (n < 3) a[n] = 0;`: the sizes the proof covers see that)."""
    return isinstance(node, A.If) and any(isinstance(n, A.Return) for n in A.walk(node))


def compared_names(kernel: A.Kernel, names: set[str]) -> list[set[str]]:
    """The integer parameters each size check compares (sizes, even those no loop runs to,
    when a check compares them with one)."""
    return [_names(f) for f in size_checks(kernel, names)]


def size_cases(kernel: A.Kernel, dims: set[str]) -> list[Condition]:
    """The cases of the kernel's checks of its sizes `dims`, each the sizes (all >= 1) it
    covers; [] when the kernel checks none."""
    checks = size_checks(kernel, dims)[:MAX_CHECKS]
    if not checks:
        return []
    cases = []
    for truths in itertools.product((False, True), repeat=len(checks)):
        terms: list[Term] = [{}]
        for f, t in zip(checks, truths):
            terms = [m for a in terms for b in _dnf(f, t) if (m := _meet(a, b)) is not None]
        terms = _positive(terms)
        if terms:
            cases.append(Condition(tuple(tuple((k, tuple(v)) for k, v in t.items()) for t in terms)))
    return cases if len(cases) > 1 else []


def ties_of(where: Optional[Condition]) -> list[tuple[str, str]]:
    """Pairs of sizes a case makes equal (`na == nb`), when the case is one conjunction."""
    if where is None or len(where.terms) != 1:
        return []
    out = []
    for key, ivs in where.terms[0]:
        terms = _key_names(key)
        if ivs == ((0, 0),) and len(terms) == 2 and sorted(k for _, k in terms) == [-1, 1]:
            out.append((terms[0][0], terms[1][0]))
    return out


def clamped(where: Condition, start: dict[str, int]) -> list[dict[str, int]]:
    """`start` with each size that a term of `where` bounds by itself moved into its
    interval (`n >= 1025`: n = 1025; `n == 16 or n == 32`: 16, and 32), one point per
    term: where a search step by step would not get."""
    out = []
    for term in where.terms:
        p = dict(start)
        for key, ivs in term:
            names = _key_names(key)
            if len(names) == 1 and names[0][1] == 1 and key in p:
                v = p[key]
                lo, hi = min(ivs, key=lambda iv: 0 if _inside(v, iv) else min(abs(v - b) for b in iv if b is not None))
                v = v if lo is None else max(v, lo)
                p[key] = v if hi is None else min(v, hi)
        out.append(p)
    return out


def _inside(v: int, iv: Interval) -> bool:
    return (iv[0] is None or v >= iv[0]) and (iv[1] is None or v <= iv[1])


def allowed(where: Condition, ok: Callable[[dict], bool], start: dict[str, int], names: list[str],
            pinned: frozenset = frozenset(), taken=()) -> Optional[dict[str, int]]:
    """Sizes in the case `where` (`ok` tells) near `start`: keeping the `pinned` sizes and
    avoiding the points `taken` if possible, else from each term's own sizes on, else any."""
    fresh = (lambda p: ok(p) and p not in taken) if taken else ok
    for test in (fresh, ok):
        found = nearest(test, start, names, pinned) if pinned else None
        for p in [start] + clamped(where, start):
            found = found or nearest(test, p, names)
        if found is not None:
            return found
    return None


def nearest(ok: Callable[[dict], bool], start: dict[str, int], names: list[str], pinned: frozenset = frozenset(),
            radius: int = 8) -> Optional[dict[str, int]]:
    """The point closest to `start` (by the sum of the differences; sizes >= 1, the `pinned`
    names kept) where `ok` holds, or None within `radius`."""
    free = [n for n in names if n not in pinned]
    for r in range(radius + 1):
        for delta in _ring(len(free), r):
            p = dict(start)
            for n, d in zip(free, delta):
                p[n] = start[n] + d
            if all(p[n] >= 1 for n in free) and ok(p):
                return p
    return None


def _ring(k: int, r: int):
    """Every integer vector of length k whose absolute values sum to r."""
    if k == 0:
        if r == 0:
            yield ()
        return
    for first in range(-r, r + 1):
        for rest in _ring(k - 1, r - abs(first)):
            yield (first,) + rest


# ---------------------------------------------------------------- formulas


def _formula(e, names: set[str]):
    """A condition as a formula over affine comparisons of the parameters `names`, or None."""
    while isinstance(e, A.Cast):
        e = e.expr
    if isinstance(e, A.Binary) and e.op in ("&&", "||"):
        a, b = _formula(e.left, names), _formula(e.right, names)
        return None if a is None or b is None else ("and" if e.op == "&&" else "or", a, b)
    if isinstance(e, A.Unary) and e.op == "!":
        a = _formula(e.operand, names)
        return None if a is None else ("not", a)
    if isinstance(e, A.Binary) and e.op in ("<", ">", "<=", ">=", "==", "!="):
        left, right = _affine(e.left, names), _affine(e.right, names)
        if left is None or right is None or not (left.terms or right.terms):
            return None
        key, op, c = relation_key(str(left), e.op, str(right))
        return ("atom", key, tuple(compare_intervals(op, c)))
    a = _affine(e, names)            # `if (n)`: n != 0
    if a is not None and a.terms:
        key, op, c = relation_key(str(a), "!=", "0")
        return ("atom", key, tuple(compare_intervals(op, c)))
    return None


def _affine(e, names: set[str]) -> Optional[Affine]:
    """An expression as an affine expression of the parameters `names`, or None."""
    while isinstance(e, A.Cast):
        e = e.expr
    if isinstance(e, A.Lit) and isinstance(e.value, int) and not e.macro:
        return Affine((), e.value)
    name = e.name if isinstance(e, A.Name) and e.scope == "param" else \
        field_path(e) if isinstance(e, A.Member) else e.macro if isinstance(e, A.Lit) else None
    if name is not None:
        return Affine(((name, 1),)) if name in names else None
    if isinstance(e, A.Unary) and e.op in ("-", "+"):
        a = _affine(e.operand, names)
        return a if a is None or e.op == "+" else Affine((), 0) - a
    if isinstance(e, A.Binary) and e.op in ("+", "-", "*"):
        a, b = _affine(e.left, names), _affine(e.right, names)
        if a is None or b is None:
            return None
        return a + b if e.op == "+" else a - b if e.op == "-" else scaled(a, b)
    return None


def _key_names(key: str) -> list[tuple[str, int]]:
    return [(n, k) for n, k in key_terms(key) if n]


def _names(f) -> set[str]:
    if f[0] == "atom":
        return {n for n, _ in _key_names(f[1])}
    return set().union(*(_names(g) for g in f[1:]))


def _dnf(f, truth: bool) -> list[Term]:
    """The formula (or its negation) as a union of conjunctions."""
    if f[0] == "atom":
        ivs = list(f[2]) if truth else complement_intervals(f[2])
        return [{f[1]: ivs}] if ivs else []
    if f[0] == "not":
        return _dnf(f[1], not truth)
    a, b = _dnf(f[1], truth), _dnf(f[2], truth)
    if (f[0] == "and") == truth:
        return [m for x in a for y in b if (m := _meet(x, y)) is not None]
    return a + b


def _meet(a: Term, b: Term) -> Optional[Term]:
    out = dict(a)
    for k, ivs in b.items():
        out[k] = intersect_intervals(out[k], ivs) if k in out else list(ivs)
        if not out[k]:
            return None
    return out


def _positive(terms: list[Term]) -> list[Term]:
    """The terms some sizes >= 1 satisfy, with what every size >= 1 satisfies left out."""
    out: list[Term] = []
    for t in terms:
        t, sizes = dict(t), {}
        for k in [k for k in t if len(_key_names(k)) == 1 and _key_names(k)[0][1] == 1]:
            sizes[k] = intersect_intervals(t[k], [(1, None)])
            if sizes[k] == [(1, None)]:
                del t[k]                # what every size >= 1 satisfies: said by nothing
        if all(sizes.values()) and _feasible({**t, **{k: v for k, v in sizes.items() if k in t}}) and t not in out:
            out.append(t)
    return out


def _feasible(t: Term) -> bool:
    """Whether some sizes >= 1 satisfy a conjunction (a small search: checks compare few
    sizes, with small constants)."""
    names = sorted({n for k in t for n, _ in _key_names(k)})
    consts = [abs(b) for ivs in t.values() for iv in ivs for b in iv if b is not None]
    top = max(consts, default=0) + len(names) + 2
    cond = Condition((tuple((k, tuple(v)) for k, v in t.items()),))
    if top ** len(names) > 200_000:
        return True          # too many to try: kept, and a case without examples fails on its own
    return any(cond.holds(dict(zip(names, vals))) for vals in itertools.product(range(1, top + 1), repeat=len(names)))

