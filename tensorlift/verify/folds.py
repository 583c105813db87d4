"""Reductions over integer ranges as solver functions, in one canonical form for both sides.

A loop that accumulates (`s += x[i]*y[i]`) and a program's `sum(i, x(i)*y(i))` both become
`F(lo, hi)`, an uninterpreted function named by the reduction's body. The C side and the
program side of a proof build their reductions through one `Folds`, so the same sum over the
same body is the same function on both sides and the solver only has to compare the ranges
and the arguments. To make "the same body" likely, a body is put in a canonical form first:

- a sum is split over the monomials of its body, and factors that do not depend on the
  reduction variable move out (`sum(alpha*a(k))` is `alpha*sum(a(k))`); a max or min is
  split over the arguments of its body's max/min;
- the reduction variable is re-based on the first array index that moves with it
  (`for (i = 1; i < n; i++) s += x[i]` sums `x(k)` for k in 1..n);
- lanes of an unrolled loop that together cover every residue are rolled back into one
  range (`x[4k]y[4k] + ... + x[4k+3]y[4k+3]` for k < q is `x(j)y(j)` for j < 4q);
- every maximal subterm that does not depend on the reduction variable becomes an argument
  of the function (`sum(k, A(i,k)*x(k))` is `F(i, lo, hi)`), so two reductions that differ
  only in such a subterm differ only in an argument.

Each rewrite is an identity of finite sums, maxima and minima. `axioms` gives the facts that
tie different ranges of one function together (a split of a range, a range of one element),
instantiated for the terms of one query.
"""
from __future__ import annotations

import itertools
from dataclasses import dataclass
from fractions import Fraction
from typing import Optional

import z3

from .poly import Poly


@dataclass(eq=False)
class FoldFn:
    op: str
    fn: z3.FuncDeclRef
    var: z3.ArithRef                 # the bound variable in `body`
    params: tuple                    # placeholders of the arguments in `body`
    body: z3.ExprRef
    symmetries: tuple = ()           # permutations of the arguments that leave the body as it is

    def at(self, args, x) -> z3.ExprRef:
        """The body at index `x` for the arguments `args`."""
        pairs = [(self.var, x)] + [(p, a) for p, a in zip(self.params, args)]
        return z3.substitute(self.body, *pairs)


class Folds:
    """The reductions of one proof, shared by the C side and the program side."""

    def __init__(self):
        self.fns: dict[str, FoldFn] = {}
        self.by_decl: dict[int, FoldFn] = {}
        self._kappa = z3.Int("κ")

    # ---------------------------------------------------------------- building
    def fold(self, op: str, k: z3.ArithRef, lo, hi, body) -> z3.ExprRef:
        """op over k in [lo, hi) of body (max and min: for a range known not to be empty)."""
        lo, hi = _int(lo), _int(hi)
        body = _term(body)
        kid = k.get_id()
        if not _mentions(body, kid):
            return self._constant(op, body, lo, hi)
        if z3.is_app_of(body, z3.Z3_OP_ITE) and not _mentions(body.arg(0), kid):
            return z3.If(body.arg(0), self.fold(op, k, lo, hi, body.arg(1)), self.fold(op, k, lo, hi, body.arg(2)))
        if op == "sum":
            return self._sum(k, lo, hi, body)
        if op in ("max", "min"):
            return self._extremum(op, k, lo, hi, body)
        return self._apply(op, k, lo, hi, body)

    def _constant(self, op, body, lo, hi):
        n = hi - lo
        if op == "sum":
            return _times(body, n)
        if op in ("max", "min"):
            return body
        if z3.is_int_value(n):      # a product of a constant n times
            out = _one(body)
            for _ in range(n.as_long()):
                out = out * body
            return out
        return self._apply(op, z3.Int("κ0"), lo, hi, body)

    def _sum(self, k, lo, hi, body):
        form = expand(body)
        if form is None:
            return self._apply("sum", k, lo, hi, body)
        monos, atoms = form
        kid = k.get_id()
        outside: dict = {}                       # k-dependent part -> its k-free coefficient
        total = []
        for mono, coef in monos.items():
            dep = tuple(a for a in mono if _mentions(atoms[a], kid))
            free = [atoms[a] for a in mono if not _mentions(atoms[a], kid)]
            factor = _product(free, coef, body)
            if dep:
                outside.setdefault(dep, []).append(factor)
            else:
                total.append(_times(factor, hi - lo))
        lanes = []
        for dep, fs in outside.items():
            coef = _sum_terms(fs, body)
            factors = [atoms[a] for a in dep]
            split = next((f for f in factors if z3.is_app_of(f, z3.Z3_OP_ITE) and not _mentions(f.arg(0), kid)), None)
            swapped = self._interchanged(k, lo, hi, factors, body) if split is None else None
            if swapped is not None:
                total.append(swapped if _is_one(coef) else coef * swapped)
                continue
            if split is None:
                lanes.append((_product(factors, 1, body), coef))
                continue
            # a select on something k does not move: the sum of each side
            rest = list(factors)
            rest.remove(next(f for f in rest if f.eq(split)))
            sides = [_product(rest + [split.arg(i)], 1, body) for i in (1, 2)]
            part = z3.If(split.arg(0), self.fold("sum", k, lo, hi, sides[0]), self.fold("sum", k, lo, hi, sides[1]))
            total.append(part if _is_one(coef) else coef * part)
        for part, coef in self._rolled("sum", k, lo, hi, lanes):
            total.append(part if _is_one(coef) else coef * part)
        return _sum_terms(total, body)

    def _interchanged(self, k, lo, hi, factors: list, like):
        """A sum over k of a product with one inner sum over l (whose range k does not move)
        as the sum over l of the sum over k, when l comes first (`_rank`): nested sums in one
        order whatever order the loops or the program wrote them in. None to keep k outside."""
        kid = k.get_id()
        inner = [f for f in factors if (o := self.open(f)) is not None and o[0] == "sum"
                 and not _mentions(o[2], kid) and not _mentions(o[3], kid)]
        if len(inner) != 1:
            return None
        _, v, lo2, hi2, g = self.open(inner[0])
        rest = [f for f in factors if not f.eq(inner[0])]
        combined = _product(rest + [g], 1, like)
        if not _rank(combined, v.get_id()) < _rank(combined, kid):
            return None
        return self.fold("sum", v, lo2, hi2, self.fold("sum", k, lo, hi, combined))

    def _extremum(self, op, k, lo, hi, body):
        kid = k.get_id()
        args = flatten_extremum(op, body)
        free = [a for a in args if not _mentions(a, kid)]
        dep = [a for a in args if _mentions(a, kid)]
        split = [a for a in dep if z3.is_app_of(a, z3.Z3_OP_ITE) and not _mentions(a.arg(0), kid)]
        split_ids = {a.get_id() for a in split}
        parts = free + [self.fold(op, k, lo, hi, a) for a in split] + \
            [p for p, _ in self._rolled(op, k, lo, hi, [(a, None) for a in dep if a.get_id() not in split_ids])]
        return extremum(op, parts)

    def _rolled(self, op, k, lo, hi, parts):
        """Each k-dependent part as a reduction, lanes of an unrolled loop rolled into one."""
        groups: dict = {}
        plain = []
        for term, coef in parts:
            shape = self._lane(k, term)
            if shape is None:
                plain.append((self._apply(op, k, lo, hi, _affine_args(term, k)), coef))
                continue
            key, a, rest, offset, template = shape
            groups.setdefault((key, a, rest.term().sexpr(), _coef_key(coef)), []).append(
                (offset, term, coef, rest, template))
        out = list(plain)
        for (key, a, _, _), lanes in groups.items():
            offsets = sorted(o for o, *_ in lanes)
            if abs(a) > 1 and offsets == list(range(offsets[0], offsets[0] + abs(a))):
                _, _, coef, rest, template = lanes[0]
                base = rest + Poly.const(offsets[0])
                if a > 0:
                    start, stop = base + Poly.of(lo).scale(a), base + Poly.of(hi).scale(a)
                else:               # walking down: lane l covers base + l - |a|k for k in [lo, hi)
                    start = base + Poly.of(hi).scale(a) + Poly.const(abs(a))
                    stop = base + Poly.of(lo).scale(a) + Poly.const(abs(a))
                out.append((self._apply(op, self._kappa, start.term(), stop.term(), template), coef))
                continue
            for offset, term, coef, rest, template in lanes:
                if abs(a) == 1:
                    base = rest + Poly.const(offset)
                    if a > 0:
                        start, stop = Poly.of(lo) + base, Poly.of(hi) + base
                    else:
                        start, stop = base - Poly.of(hi) + Poly.const(1), base - Poly.of(lo) + Poly.const(1)
                    out.append((self._apply(op, self._kappa, start.term(), stop.term(), template), coef))
                else:
                    out.append((self._apply(op, k, lo, hi, term), coef))
        return out

    def _lane(self, k, term):
        """(template key, a, rest, offset, template): the term with its first k-dependent array
        index `a*k + rest + offset` renamed κ and the other k-dependent indices relative to
        it; None when the indices move at different rates or none is affine in k."""
        kid = k.get_id()
        args = _index_args(term, kid)
        if not args:
            return None
        first = Poly.of(args[0]).linear_in(kid)
        if first is None or first[0] == 0:
            return None
        a, rest0 = first
        offset = rest0.offset
        rest = rest0 - Poly.const(offset)
        mapping = {}
        for arg in args:
            lin = Poly.of(arg).linear_in(kid)
            if lin is None or lin[0] != a:
                return None
            shift = lin[1] - rest0      # one term, so that it is one argument of the reduction
            mapping[arg.get_id()] = self._kappa if not shift.terms else \
                self._kappa + shift.constant if shift.constant is not None else self._kappa + shift.term()
        template = _replace_args(term, kid, mapping)
        if _mentions(template, kid):
            return None
        return _key(template, self._kappa), a, rest, offset, template

    def _apply(self, op, var, lo, hi, body) -> z3.ExprRef:
        body = normal(body)
        vid = var.get_id()
        params: list = []
        template = _abstract(body, vid, params)
        placeholders = [z3.Const(f"π{i}", p.sort()) for i, p in enumerate(params)]
        template = z3.substitute(template, *zip(params, placeholders)) if params else template
        canon = z3.substitute(template, (var, self._kappa)) if not var.eq(self._kappa) else template
        key = f"{op}:{canon.sexpr()}"
        f = self.fns.get(key)
        if f is None:
            name = f"{op}{len(self.fns)}"
            decl = z3.Function(name, *[p.sort() for p in placeholders], z3.IntSort(), z3.IntSort(), canon.sort())
            f = self.fns[key] = FoldFn(op, decl, self._kappa, tuple(placeholders), canon,
                                       _symmetries(canon, placeholders))
            self.by_decl[decl.get_id()] = f
        return f.fn(*params, lo, hi)

    def open(self, app) -> Optional[tuple]:
        """(op, v, lo, hi, body at v) of a reduction's application (v fresh), or None when `app`
        is not one: for passes that must see through reductions (what a loop read)."""
        f = self.by_decl.get(app.decl().get_id()) if z3.is_app(app) else None
        if f is None:
            return None
        n = app.num_args()
        v = z3.FreshInt("κ")
        return f.op, v, app.arg(n - 2), app.arg(n - 1), f.at([app.arg(i) for i in range(n - 2)], v)

    # ---------------------------------------------------------------- facts for a query
    def axioms(self, terms: list) -> list:
        """Facts about the reductions in `terms`: a range of one element is its element, an
        empty sum is zero, and splitting a range at any endpoint another application uses
        splits the reduction. Sound for any integers (a split is only claimed in order)."""
        apps = self._apps(terms)
        groups: dict = {}
        for app in apps.values():
            f = self.by_decl[app.decl().get_id()]
            n = app.num_args()
            args = tuple(app.arg(i) for i in range(n - 2))
            groups.setdefault((app.decl().get_id(), tuple(a.get_id() for a in args)), (f, args, {}))[2].update(
                {app.arg(n - 2).get_id(): app.arg(n - 2), app.arg(n - 1).get_id(): app.arg(n - 1)})
        facts = []
        for f, args, ends in groups.values():
            points = list(ends.values())[:6]
            for perm in f.symmetries:       # `sum(A(i,k)*A(j,k))` is `sum(A(j,k)*A(i,k))`
                for a in points:
                    for c in points:
                        if not a.eq(c):
                            facts.append(f.fn(*args, a, c) == f.fn(*[args[p] for p in perm], a, c))
            for a in points:
                for c in points:
                    if a.eq(c):
                        continue
                    whole = f.fn(*args, a, c)
                    facts.append(z3.Implies(c - a == 1, whole == f.at(args, a)))
                    if f.op in ("sum", "prod"):
                        facts.append(z3.Implies(c <= a, whole == (0 if f.op == "sum" else 1)))
                    else:           # a max is at least its first element, a min at most
                        first = f.at(args, a)
                        facts.append(z3.Implies(c > a, whole >= first if f.op == "max" else whole <= first))
                    for b in points:
                        if b.eq(a) or b.eq(c):
                            continue
                        left, right = f.fn(*args, a, b), f.fn(*args, b, c)
                        if f.op == "sum":
                            facts.append(z3.Implies(z3.And(a <= b, b <= c), whole == left + right))
                        elif f.op == "prod":
                            facts.append(z3.Implies(z3.And(a <= b, b <= c), whole == left * right))
                        else:
                            facts.append(z3.Implies(z3.And(a < b, b < c), whole == extremum(f.op, [left, right])))
        return facts

    def _apps(self, terms) -> dict:
        out: dict = {}
        seen: set = set()
        todo = list(terms)
        while todo:
            t = todo.pop()
            if t.get_id() in seen:
                continue
            seen.add(t.get_id())
            if z3.is_app(t) and t.decl().get_id() in self.by_decl:
                out[t.get_id()] = t
            todo.extend(t.children())
        return out


def _symmetries(body, params: list) -> tuple:
    """Permutations of same-sorted arguments (up to four) under which the body is the same
    polynomial."""
    if not 2 <= len(params) <= 4:
        return ()
    base = normal(body).sexpr()
    out = []
    for perm in itertools.permutations(range(len(params))):
        if list(perm) == list(range(len(params))) or any(params[i].sort() != params[p].sort()
                                                         for i, p in enumerate(perm)):
            continue
        moved = z3.substitute(body, *[(params[i], params[p]) for i, p in enumerate(perm)])
        if normal(moved).sexpr() == base:
            out.append(perm)
    return tuple(out)


# ---------------------------------------------------------------- max and min

def extremum(op: str, args: list) -> z3.ExprRef:
    """max or min of terms, as the C side writes them (`a > b ? a : b`), in a fixed order."""
    args = sorted(args, key=lambda t: t.sexpr())
    out = args[0]
    for a in args[1:]:
        out = z3.If(out > a, out, a) if op == "max" else z3.If(out < a, out, a)
    return out


def flatten_extremum(op: str, t) -> list:
    """The arguments of nested two-way max (or min) selects: `If(a > b, a, b)`, `If(a >= b, a,
    b)`, `If(b < a, a, b)` and their mirror images all are max(a, b)."""
    pair = _extremum_pair(op, t)
    if pair is None:
        return [t]
    return flatten_extremum(op, pair[0]) + flatten_extremum(op, pair[1])


def _extremum_pair(op, t):
    if not z3.is_app_of(t, z3.Z3_OP_ITE):
        return None
    c, x, y = t.arg(0), t.arg(1), t.arg(2)
    kinds = {z3.Z3_OP_GT: ">", z3.Z3_OP_GE: ">", z3.Z3_OP_LT: "<", z3.Z3_OP_LE: "<"}
    if not z3.is_app(c) or c.decl().kind() not in kinds or c.num_args() != 2:
        return None
    a, b = c.arg(0), c.arg(1)
    cmp = kinds[c.decl().kind()]
    bigger = {">": (a, b), "<": (b, a)}[cmp]     # (larger when the condition holds, smaller)
    pick = (x, y) if op == "max" else (y, x)
    if _same(pick[0], bigger[0]) and _same(pick[1], bigger[1]):
        return x, y
    return None


def _same(a, b) -> bool:
    if a.eq(b):
        return True
    if z3.is_app_of(a, z3.Z3_OP_TO_REAL) and a.arg(0).eq(b):
        return True
    return z3.is_app_of(b, z3.Z3_OP_TO_REAL) and b.arg(0).eq(a)


# ---------------------------------------------------------------- polynomial normal form

def expand(t, limit: int = 64) -> Optional[tuple[dict, dict]]:
    """A term as {monomial: rational coefficient} over atoms (whatever is not + - * or a
    numeral), or None when it has more than `limit` monomials."""
    atoms: dict = {}

    def go(x):
        if z3.is_int_value(x) or z3.is_rational_value(x):
            v = Fraction(x.as_long()) if z3.is_int_value(x) else Fraction(x.as_fraction())
            return {(): v} if v else {}
        if z3.is_app_of(x, z3.Z3_OP_TO_REAL):
            return go(x.arg(0))
        if z3.is_add(x):
            out: dict = {}
            for c in x.children():
                _accumulate(out, go(c), 1)
            return out
        if z3.is_sub(x):
            kids = x.children()
            out = dict(go(kids[0]))
            for c in kids[1:]:
                _accumulate(out, go(c), -1)
            return out
        if z3.is_app_of(x, z3.Z3_OP_UMINUS):
            return {m: -c for m, c in go(x.arg(0)).items()}
        if z3.is_mul(x):
            out = {(): Fraction(1)}
            for c in x.children():
                out = _multiply(out, go(c))
                if len(out) > limit:
                    raise _TooBig
            return out
        if z3.is_app_of(x, z3.Z3_OP_DIV) and (z3.is_rational_value(x.arg(1)) or z3.is_int_value(x.arg(1))):
            d = Fraction(x.arg(1).as_fraction()) if z3.is_rational_value(x.arg(1)) else Fraction(x.arg(1).as_long())
            if d:
                return {m: c / d for m, c in go(x.arg(0)).items()}
        atoms[x.get_id()] = x
        return {(x.get_id(),): Fraction(1)}
    try:
        return go(t), atoms
    except _TooBig:
        return None


class _TooBig(Exception):
    pass


def _accumulate(out: dict, add: dict, sign: int) -> None:
    for m, c in add.items():
        v = out.get(m, 0) + sign * c
        if v:
            out[m] = v
        else:
            out.pop(m, None)


def _multiply(a: dict, b: dict) -> dict:
    out: dict = {}
    for m1, c1 in a.items():
        for m2, c2 in b.items():
            m = tuple(sorted(m1 + m2))
            v = out.get(m, 0) + c1 * c2
            if v:
                out[m] = v
            else:
                out.pop(m, None)
    return out


def normal(t):
    """A term rebuilt from its polynomial normal form (atoms in a fixed order), so that two
    terms equal as polynomials print alike; the term itself if it is too large."""
    form = expand(t)
    if form is None:
        return t
    monos, atoms = form
    parts = [_product([atoms[a] for a in m], c, t) for m, c in sorted(monos.items(), key=lambda mc: _mono_key(mc[0], atoms))]
    return _sum_terms(parts, t)


def _mono_key(m, atoms):
    return tuple(atoms[a].sexpr() for a in m)


# ---------------------------------------------------------------- helpers

def _int(x):
    return z3.IntVal(x) if isinstance(x, int) else x


def _term(x):
    if isinstance(x, bool):
        return z3.IntVal(int(x))
    if isinstance(x, int):
        return z3.IntVal(x)
    if isinstance(x, float):
        return z3.RealVal(Fraction(x))
    return x


def mentions(t, ids) -> bool:
    """Whether a term holds a subterm of one of these ids (each shared subterm looked at once)."""
    ids = set(ids)
    todo, seen = [t], set()
    while todo:
        x = todo.pop()
        i = x.get_id()
        if i in ids:
            return True
        if i in seen:
            continue
        seen.add(i)
        todo.extend(x.children())
    return False


def _mentions(t, vid: int) -> bool:
    return mentions(t, (vid,))


def _index_args(t, kid) -> list:
    """Arguments of uninterpreted functions (array reads, reductions) that move with k, the one
    to re-base a reduction on first: moving up by one before down by one before faster, then
    the fewest other terms, then by the array's name and the argument's position (names that
    both sides of a proof share), so that both sides choose alike."""
    found: list = []
    seen: set = set()

    def walk(x):
        if x.get_id() in seen:
            return
        seen.add(x.get_id())
        if z3.is_app(x) and x.decl().kind() == z3.Z3_OP_UNINTERPRETED and x.num_args():
            for pos, a in enumerate(x.children()):
                if a.sort() == z3.IntSort() and _mentions(a, kid):
                    lin = Poly.of(a).linear_in(kid)
                    rate = (0 if lin[0] == 1 else 1 if lin[0] == -1 else 2) if lin and lin[0] else 3
                    size = len(lin[1].terms) if lin else 99
                    found.append(((rate, size, x.decl().name(), pos), a))
        for c in x.children():
            walk(c)
    walk(t)
    out: list = []
    for _, a in sorted(found, key=lambda f: f[0]):
        if all(not a.eq(b) for b in out):
            out.append(a)
    return out


def _rank(t, vid) -> tuple:
    """Where a variable first indexes an array of t: (array name, position), names that both
    sides of a proof share; the least rank is the outer sum."""
    best = ("\uffff", 0)
    todo, seen = [t], set()
    while todo:
        x = todo.pop()
        if x.get_id() in seen:
            continue
        seen.add(x.get_id())
        if z3.is_app(x) and x.decl().kind() == z3.Z3_OP_UNINTERPRETED and x.num_args():
            for pos, a in enumerate(x.children()):
                if a.get_id() == vid:
                    best = min(best, (x.decl().name(), pos))
        todo.extend(x.children())
    return best


def _affine_args(t, k):
    """The term with every array index that moves with k written `a*k + r`, r one term (an
    argument of the reduction) whatever form the index had (`n - 1 - k`, `-1 + n - k`)."""
    kid = k.get_id()
    mapping = {}
    for arg in _index_args(t, kid):
        lin = Poly.of(arg).linear_in(kid)
        if lin is None:
            continue
        a, rest = lin
        moving = k if a == 1 else -k if a == -1 else a * k
        mapping[arg.get_id()] = moving if not rest.terms else \
            moving + rest.constant if rest.constant is not None else moving + rest.term()
    return _replace_args(t, kid, mapping)


def _replace_args(t, kid, mapping: dict):
    cache: dict = {}

    def go(x):
        i = x.get_id()
        if i in mapping:
            return mapping[i]
        if i in cache:
            return cache[i]
        if not _mentions(x, kid) or not x.children():
            out = x
        else:
            out = x.decl()(*[go(c) for c in x.children()])
        cache[i] = out
        return out
    return go(t)


def _abstract(t, vid, params: list):
    """The term with every maximal subterm free of the variable `vid` (numerals aside) listed
    in `params` (in order of first appearance) and kept in place, to be replaced by
    placeholders."""
    def go(x):
        if not _mentions(x, vid):
            if not (z3.is_int_value(x) or z3.is_rational_value(x)) and all(not x.eq(p) for p in params):
                params.append(x)
            return x
        for c in x.children():
            go(c)
        return x
    return go(t)


def _key(t, kappa) -> str:
    params: list = []
    _abstract(t, kappa.get_id(), params)
    holes = [z3.Const(f"π{i}", p.sort()) for i, p in enumerate(params)]
    return (z3.substitute(t, *zip(params, holes)) if params else t).sexpr()


def _coef_key(c) -> str:
    return "" if c is None else c.sexpr()


def _is_one(c) -> bool:
    if c is None:
        return True
    return (z3.is_int_value(c) and c.as_long() == 1) or (z3.is_rational_value(c) and c.as_fraction() == 1)


def _one(like):
    return z3.RealVal(1) if like.sort() == z3.RealSort() else z3.IntVal(1)


def _number(v: Fraction, like):
    if like.sort() == z3.RealSort():
        return z3.RealVal(v)
    return z3.IntVal(int(v)) if v.denominator == 1 else z3.RealVal(v)


def _product(factors: list, coef, like):
    coef = Fraction(coef)
    out = None
    for f in sorted(factors, key=lambda t: t.sexpr()):
        out = f if out is None else out * f
    if out is None:
        return _number(coef, like)
    if coef != 1:
        out = _number(coef, like) * out
    return out


def _sum_terms(terms: list, like):
    terms = [t for t in terms if not (z3.is_int_value(t) and t.as_long() == 0)
             and not (z3.is_rational_value(t) and t.as_fraction() == 0)]
    if not terms:
        return _number(Fraction(0), like)
    out = terms[0]
    for t in terms[1:]:
        out = out + t
    return out


def _times(t, n):
    if t.sort() == z3.RealSort():
        return t * z3.ToReal(n)
    return t * n
