"""One loop's closed form: the inductive step of an all-sizes proof.

A trial iteration from fresh values tells counters (moving by the same amount each iteration)
from accumulators and values set anew; one generic iteration k (counters at k, the rest fresh
symbols) says what the loop does; its closed form over k < K is then taken: counters `v0 +
d*k`, the trip count K from the condition, accumulators as reductions (`Folds`), arrays as the
value the one iteration that writes an element writes, or as a sum. The side conditions that
make each closed form exact are z3 queries about the generic iteration.
"""
from __future__ import annotations

import z3

from .. import carith
from ..c import ast as A
from ..c.interp import Ptr, Var
from . import symbolic as S
from .facts import Facts, Unprovable, as_bool
from .folds import Folds, extremum, flatten_extremum, mentions
from .memory import Closed, Init, SymBuf, bound_at, domain_of, range_of, cases_of, cell
from .poly import Poly


def _mentions(t, ids) -> bool:
    if isinstance(t, Ptr):
        t = t.off
    return S.is_term(t) and mentions(t, ids)


def _apps_of(t, decl_id: int, folds: Folds, ctx: tuple = ()) -> list:
    """Applications of the function `decl_id` in t, inside reductions too, each with the facts
    that hold where it is read (the ranges of the reductions around it)."""
    out, seen, todo = [], set(), [t]
    while todo:
        x = todo.pop()
        if x.get_id() in seen:
            continue
        seen.add(x.get_id())
        if z3.is_app(x) and x.decl().get_id() == decl_id:
            out.append((x, ctx))
        opened = folds.open(x)
        if opened is not None:
            _, v, lo, hi, body = opened
            out.extend(_apps_of(body, decl_id, folds, ctx + (v >= lo, v < hi)))
        todo.extend(x.children())
    return out


def _replace_apps(t, decl_id: int, fn, folds: Folds, ctx: tuple = ()):
    """`t` with every application of the function `decl_id` replaced by fn(args, ctx), inside
    reductions too (which are built anew around what they read now)."""
    cache: dict = {}

    def go(x):
        i = x.get_id()
        if i in cache:
            return cache[i]
        opened = folds.open(x)
        if z3.is_app(x) and x.decl().get_id() == decl_id:
            out = fn(tuple(go(c) for c in x.children()), ctx)
        elif opened is not None and _apps_of(opened[4], decl_id, folds):
            op, v, lo, hi, body = opened
            out = folds.fold(op, v, go(lo), go(hi), _replace_apps(body, decl_id, fn, folds, ctx + (v >= lo, v < hi)))
        elif x.children():
            out = x.decl()(*[go(c) for c in x.children()])
        else:
            out = x
        cache[i] = out
        return out
    return go(t)


class _Summary:
    def __init__(self, ex, loop):
        self.ex, self.loop = ex, loop
        self.line = loop.line

    def run(self) -> None:
        ex, loop = self.ex, self.loop
        carried = loop.carried()
        entry = {id(v): v.value for v in carried}
        entry_states = {b: b.state for b in ex.buffers}
        kinds, steps, trial_written = self.classify(carried, entry, entry_states)
        k = z3.Int(ex.fresh(f"k{self.line}"))
        index = [v for v in carried if kinds[id(v)] == "index"]

        def at(t):
            return {id(v): _moved(entry[id(v)], steps[id(v)], t) for v in index}
        K = self.trip_count(carried, at(k), k, kinds)
        for v in index:             # an unsigned counter wraps nowhere in the loop
            t = A.strip_ref(v.type)
            if isinstance(t, A.Scalar) and carith.is_int(t.dtype):
                lo, hi = carith.bounds(t.dtype)
                if not all(ex.facts.holds(z3.And(x >= lo, x <= hi)) for x in (at(0)[id(v)], at(K)[id(v)])):
                    raise Unprovable(f"a counter may leave the range of its type in the loop at line {self.line}")
        if not ex.checking:
            # inside a trial iteration of an outer loop only counters and what is written matter:
            # the rest becomes anything (a trial's values are thrown away)
            for v in carried:
                if kinds[id(v)] == "index":
                    v.value = at(K)[id(v)]
                elif kinds[id(v)] == "data" and S.is_term(entry[id(v)]):    # still depends on where it started
                    x = _lift(entry[id(v)])
                    v.value = z3.Function(ex.fresh("h"), x.sort(), x.sort())(x)
                else:
                    v.value = self.symbol_like(v, entry[id(v)], [])
            for b in trial_written:
                if b in entry_states:
                    b.state = Init(z3.Function(ex.fresh(b.name), *domain_of(b.state), range_of(b.state)))
                    if ex.written is not None:
                        ex.written.add(b)
            return
        # the generic iteration k: counters at k, accumulators and written arrays fresh
        generic: dict = {}
        facts = [k >= 0, k < K]
        for v in carried:
            v.value = at(k)[id(v)] if kinds[id(v)] == "index" else \
                generic.setdefault(id(v), self.symbol_like(v, entry[id(v)], facts))
        gens = {b: Init(z3.Function(ex.fresh(b.name), *domain_of(b.state), range_of(b.state)))
                for b in trial_written if b in entry_states}
        for b, g in gens.items():
            b.state = g
        written: set = set()
        created = len(ex.buffers)
        ex.facts.push(*facts)
        saved_written, ex.written = ex.written, written
        try:
            loop.iterate()
            values = {id(v): v.value for v in carried}
            states = {b: b.state for b in gens}
        finally:
            ex.written = saved_written
            ex.facts.pop()
            del ex.buffers[created:]
            for b, st in entry_states.items():
                b.state = st
        if {b for b in written if b in entry_states} - set(gens):
            raise Unprovable(f"the loop at line {self.line} writes memory its trial iteration did not")
        final, closed = self.close(carried, kinds, entry, generic, values, states, gens, entry_states, k, K)
        for v in carried:
            v.value = at(K)[id(v)] if kinds[id(v)] == "index" else final[id(v)]
        for b, st in closed.items():
            b.state = st
        if ex.written is not None:
            ex.written.update(gens)
        loop.exit()

    # -- what each carried variable is -------------------------------------
    def classify(self, carried, entry, entry_states):
        """A trial iteration from fresh values tells counters and pointers (moving by the same
        amount every iteration) from values set anew each iteration and from accumulators;
        it also tells which arrays the loop writes."""
        ex = self.ex
        fresh, facts = {}, []
        for v in carried:
            v.value = fresh[id(v)] = self.symbol_like(v, entry[id(v)], facts)
        written: set = set()
        created = len(ex.buffers)
        saved_written, ex.written = ex.written, written
        saved_check, ex.checking = ex.checking, False
        ex.facts.push(*facts)
        try:
            cond = self.loop.cond() if self.loop.test_first else 1
            ex._under(as_bool(cond), lambda: self.loop.iterate(cond_first=False))
            after = {id(v): v.value for v in carried}
        finally:
            ex.facts.pop()
            ex.checking = saved_check
            ex.written = saved_written
            del ex.buffers[created:]
            for v in carried:
                v.value = entry[id(v)]
            for b, st in entry_states.items():
                b.state = st
        fresh_ids = {_id(f) for f in fresh.values() if f is not None}
        kinds, steps = {}, {}
        for v in carried:
            f, a = fresh[id(v)], after[id(v)]
            if f is None:           # unset before the loop: the body sets it before use
                kinds[id(v)] = "reset"
                continue
            if isinstance(f, Ptr):
                if not isinstance(a, Ptr) or a.buf is not f.buf:
                    raise Unprovable(f"a pointer moves to other memory in the loop at line {self.line}")
                d = Poly.of(S.lift(a.off, False)) - Poly.of(f.off)
                if not _mentions(d.term(), fresh_ids):
                    kinds[id(v)], steps[id(v)] = "index", d
                elif not _mentions(a.off, {_id(f)}):
                    kinds[id(v)] = "reset"
                else:
                    raise Unprovable(f"a pointer moves by a varying amount in the loop at line {self.line}")
                continue
            if not (S.is_term(a) or isinstance(a, (int, float))):
                raise Unprovable(f"a variable of this kind changes in the loop at line {self.line}")
            if not ex.is_data(a) and not ex.is_data(f):
                d = Poly.of(_unwrapped(S.lift(a, False))) - Poly.of(f)
                if not _mentions(d.term(), fresh_ids):
                    kinds[id(v)], steps[id(v)] = "index", d
                    continue
            kinds[id(v)] = "reset" if not _mentions(a, {_id(f)}) else "data"
        return kinds, steps, written

    def symbol_like(self, v: Var, value, facts: list):
        """A fresh symbol of the variable's type (a pointer: into its memory, at a fresh offset)."""
        ex = self.ex
        if value is None:
            return None
        if isinstance(value, Ptr):
            return Ptr(value.buf, z3.Int(ex.fresh("p")), value.target, value.dims)
        t = A.strip_ref(v.type)
        if not isinstance(t, A.Scalar):
            raise Unprovable(f"a variable of this type changes in the loop at line {self.line}")
        if carith.is_float(t.dtype):
            return z3.Real(ex.fresh("s"))
        sym = z3.Int(ex.fresh("v"))
        lo, hi = carith.bounds(t.dtype)
        facts.append(z3.And(sym >= lo, sym <= hi))
        ex.types[sym.get_id()] = t.dtype
        ex.alive.append(sym)            # `types` is keyed by id: the symbol must outlive it
        return sym

    # -- the trip count ----------------------------------------------------
    def trip_count(self, carried, at_k, k, kinds):
        ex, loop = self.ex, self.loop
        saved = {id(v): v.value for v in carried}
        states = {b: b.state for b in ex.buffers}
        others = []
        for v in carried:
            if id(v) in at_k:
                v.value = at_k[id(v)]
            else:
                v.value = self.symbol_like(v, v.value, [])
                others.append(_id(v.value))
        try:
            cond = loop.cond()
        finally:
            for v in carried:
                v.value = saved[id(v)]
            for b, st in states.items():
                b.state = st
        if ex.is_data(cond) or _mentions(cond, others):
            raise Unprovable(f"the condition of the loop at line {self.line} depends on what the loop computes")
        K = _solve_trip(cond, k, ex.facts, self.line)
        if not loop.test_first:
            K = z3.If(K > 1, K, 1)
        return _nonneg(z3.simplify(K), ex.facts)

    # -- closed forms ------------------------------------------------------
    def close(self, carried, kinds, entry, generic, values, states, gens, entry_states, k, K):
        """Accumulators that read only themselves first, then the arrays (given those
        accumulators at iteration k), then accumulators that read the arrays (given the arrays
        at iteration k). The arrays' closed forms are built over a bound T, read at T = K
        after the loop and at T = k inside it."""
        ex = self.ex
        T = z3.Int(ex.fresh("T"))
        gen_ids = [g.fn.get_id() for g in gens.values()]
        data_ids = {_id(s) for s in generic.values()}
        pending = [v for v in carried if kinds[id(v)] != "index"]
        at: dict = {}                                  # accumulator -> its value at the head of iteration t

        def reads_arrays(x):
            return S.is_term(x) and any(_apps_of(x, g, ex.folds) for g in gen_ids)
        for v in list(pending):
            new = values[id(v)]
            own = _id(generic[id(v)])
            if _mentions(new, data_ids - {own}) or reads_arrays(new):
                continue
            at[id(v)] = self.close_value(v, kinds[id(v)], entry[id(v)], generic[id(v)], new, k)
            pending.remove(v)
        subst = [(generic[i], f(k)) for i, f in at.items() if S.is_term(generic[i])]
        ex.facts.push(T >= 0, T <= K)
        try:
            closed: dict = {}
            for b in self._array_order(gens, states):
                others = [(gens[a].fn.get_id(), closed[a]) for a in closed]
                closed[b] = self.close_array(b, entry_states[b], gens[b], states[b], k, T, subst, others)
        finally:
            ex.facts.pop()
        for v in pending:
            new = values[id(v)]
            if isinstance(new, Ptr) or _mentions(new, data_ids - {_id(generic[id(v)])}):
                raise Unprovable(f"accumulators of the loop at line {self.line} depend on each other")
            for b, g in gens.items():
                new = _replace_apps(new, g.fn.get_id(), lambda args, ctx, b=b: ex.read(bound_at(closed[b], T, k),
                                                                                        args, ctx), ex.folds)
            at[id(v)] = self.close_value(v, kinds[id(v)], entry[id(v)], generic[id(v)], new, k)
        final = {i: f(K) for i, f in at.items()}
        states = {b: bound_at(st, T, K) for b, st in closed.items()}
        # a generic value of iteration k must not outlive the loop: it stands for one value only
        generics = data_ids | {g.fn.get_id() for g in gens.values()}
        leaks = [x for x in final.values() if _mentions(x, generics)] + \
            [t for st in states.values() if isinstance(st, Closed) for case in st.cases for t in case
             if _mentions(t, generics) or any(_apps_of(t, g, ex.folds) for g in gen_ids)]
        if leaks:
            raise Unprovable(f"what the loop at line {self.line} computes depends on its own iterations "
                             f"in a way the prover does not follow")
        return final, states

    def close_value(self, v: Var, kind: str, start, s, new, k):
        """An accumulator's value at the head of iteration t, as a function of t."""
        ex = self.ex
        if kind == "reset" or not _mentions(new, {_id(s)}):
            # set anew every iteration: the last iteration's value (still unset without one)
            if isinstance(new, Ptr):
                last = lambda t: z3.substitute(S.lift(new.off, False), (k, t - 1))  # noqa: E731
                if start is None:
                    return lambda t: Ptr(new.buf, last(t), new.target, new.dims)
                return lambda t: Ptr(new.buf, z3.If(t > 0, last(t), S.lift(start.off, False)), new.target, new.dims)
            if start is None:
                return lambda t: z3.substitute(_lift(new), (k, t - 1))
            return lambda t: z3.substitute(_lift(new), (k, t - 1)) if ex.facts.holds(t > 0) else \
                z3.If(t > 0, z3.substitute(_lift(new), (k, t - 1)), _lift(start))
        new = _lift(new)
        real = new.sort() == z3.RealSort()
        zero, one = (z3.RealVal(0), z3.RealVal(1)) if real else (z3.IntVal(0), z3.IntVal(1))
        g = z3.substitute(new, (s, zero))     # not simplified: both sides' reductions must read alike
        if self._always(new == s + g, k):
            return lambda t: _lift(start) + ex.folds.fold("sum", k, 0, t, g)
        for op in ("max", "min"):
            args = flatten_extremum(op, new)
            rest = [a for a in args if not _mentions(a, {_id(s)})]
            if len(args) - len(rest) == 1 and any(a.eq(s) for a in args) and rest:
                h = extremum(op, rest)

                def reduced(t, h=h, op=op):
                    value = extremum(op, [_lift(start), ex.folds.fold(op, k, 0, t, h)])
                    return value if ex.facts.holds(t > 0) else z3.If(t > 0, value, _lift(start))
                return reduced
        g = z3.substitute(new, (s, one))
        if self._always(new == s * g, k):
            return lambda t: _lift(start) * ex.folds.fold("prod", k, 0, t, g)
        # no closed form: any value (a proof that needs it fails; one that does not stands)
        return lambda t: z3.Const(ex.fresh(f"{_name(v)}?"), new.sort())

    def _always(self, claim, k) -> bool:
        return self.ex.facts.unsat(k >= 0, z3.Not(claim))

    def _array_order(self, gens: dict, states: dict) -> list:
        """The arrays a loop writes, each after the arrays its writes read."""
        reads = {}
        for b in gens:
            e = tuple(z3.Int(self.ex.fresh("e")) for _ in domain_of(gens[b]))
            t = cell(states[b], e)
            reads[b] = {a for a in gens if a is not b and _apps_of(t, gens[a].fn.get_id(), self.ex.folds)}
        order: list = []
        while len(order) < len(gens):
            ready = [b for b in gens if b not in order and reads[b] <= set(order)]
            if not ready:
                raise Unprovable(f"arrays of the loop at line {self.line} are computed from each other")
            order.extend(ready)
        return order

    def close_array(self, b: SymBuf, entry, gen: Init, new, k, T, subst, others=()):
        """The contents after T iterations, from the contents after one generic iteration;
        `others`: arrays closed already (function of their generic state, closed form), which
        this one reads as they are at the head of iteration k."""
        ex = self.ex
        e = tuple(z3.Int(ex.fresh(f"e{d}")) for d in range(len(domain_of(gen))))
        cases, base = cases_of(new, e)
        if base is not gen:
            raise Unprovable(f"'{b.name}' is replaced in the loop at line {self.line}")
        cases = [(z3.simplify(c), z3.substitute(v, *subst) if subst else v) for c, v in cases]
        for fid, state in others:
            now = bound_at(state, T, k)
            cases = [tuple(_replace_apps(x, fid, lambda args, ctx: ex.read(now, args, ctx), ex.folds)
                           for x in case) for case in cases]
        cases = [(c, v) for c, v in cases if not z3.is_false(c)]
        if not cases:
            return entry
        fid = gen.fn.get_id()
        any_hit = z3.Or([c for c, _ in cases])

        def hit(idx, t):
            return z3.substitute(any_hit, *zip(e, idx), (k, t))
        k2 = z3.Int(ex.fresh("k"))
        if ex.facts.unsat(k >= 0, k < T, k2 >= 0, k2 < T, k != k2, hit(e, k), hit(e, k2)):
            return self._written_once(b, entry, cases, e, k, T, k2, hit, fid)
        return self._accumulated(b, entry, cases, e, k, T, k2, hit, fid)

    def _written_once(self, b, entry, cases, e, k, T, k2, hit, fid):
        ex = self.ex
        out = []
        for c, v in cases:
            for part in (c, v):
                for app, ctx in _apps_of(part, fid, ex.folds):
                    args = tuple(app.children())
                    if not ex.facts.unsat(k >= 0, k < T, k2 >= 0, k2 < k, c, *ctx, hit(args, k2)):
                        raise Unprovable(f"'{b.name}' is read where an earlier iteration wrote it "
                                         f"(a recurrence) in the loop at line {self.line}")
            c = _replace_apps(c, fid, lambda args, ctx: ex.read(entry, args, ctx), ex.folds)
            v = _replace_apps(v, fid, lambda args, ctx: ex.read(entry, args, ctx), ex.folds)
            solved = _solve_k(c, e, k)
            if solved is None:
                raise Unprovable(f"which iteration writes an element of '{b.name}' is not clear "
                                 f"in the loop at line {self.line}")
            kstar, extra = solved
            cond = z3.And(kstar >= 0, kstar < T, *extra, z3.substitute(c, (k, kstar)))
            out.append((z3.simplify(cond), z3.substitute(v, (k, kstar))))
        return Closed(entry, e, out)

    def _accumulated(self, b, entry, cases, e, k, T, k2, hit, fid):
        """Every element added to (`+=`) in the iterations that write it: a sum over them."""
        ex = self.ex
        sort = _lift(cases[0][1]).sort()
        s = z3.Const(ex.fresh("s"), sort)
        zero = z3.RealVal(0) if sort == z3.RealSort() else z3.IntVal(0)
        chain, parts = s, []
        for c, v in reversed(cases):
            if _apps_of(c, fid, ex.folds):
                raise Unprovable(f"'{b.name}' is written under a condition on what the loop wrote "
                                 f"(line {self.line})")
            eqs = _equalities(c, e)

            def own(args, ctx, eqs=eqs, c=c):
                if all(_same_int(z3.substitute(x, *eqs) if eqs else x, z3.substitute(y, *eqs) if eqs else y)
                       for x, y in zip(args, e)):
                    return s
                if not ex.facts.unsat(k >= 0, k < T, k2 >= 0, k2 < T, c, *ctx, hit(args, k2)):
                    raise Unprovable(f"'{b.name}' is read where another iteration writes it in the loop "
                                     f"at line {self.line}")
                return ex.read(entry, args, ctx)
            value = _replace_apps(_lift(v), fid, own, ex.folds)
            chain = z3.If(c, value, chain)
            parts.append((c, eqs, value))
        g = z3.substitute(chain, (s, zero))
        if not self._always(chain == s + g, k):
            raise Unprovable(f"'{b.name}' is updated in a way that is not a sum in the loop at line {self.line}")
        if len(parts) == 1 and not _mentions(parts[0][0], {k.get_id()}):
            c, eqs, value = parts[0]
            at = tuple(z3.substitute(x, *eqs) if eqs else x for x in e)
            h = z3.substitute(value, (s, zero))
            return Closed(entry, e, [(c, cell(entry, at, ex.facts) + ex.folds.fold("sum", k, 0, T, h))])
        return Closed(entry, e, [(z3.BoolVal(True), cell(entry, e, ex.facts) + ex.folds.fold("sum", k, 0, T, g))])


def _unwrapped(t):
    """An unsigned value without its wrap to the type's width (`(v + 1) % 2**32`): whether it
    wraps is checked on the loop's closed form."""
    if z3.is_app_of(t, z3.Z3_OP_MOD) and z3.is_int_value(t.arg(1)):
        m = t.arg(1).as_long()
        if m > 0 and not m & (m - 1):
            return t.arg(0)
    return t


def _moved(start, step: Poly, t):
    if isinstance(start, Ptr):
        return Ptr(start.buf, (Poly.of(S.lift(start.off, False)) + step * Poly.of(t)).term(), start.target, start.dims)
    base = Poly.of(S.lift(start, False)) if S.is_term(start) else Poly.const(int(start))
    return (base + step * Poly.of(t)).term()


def _id(v) -> int:
    if v is None:
        return -1
    if isinstance(v, Ptr):
        return v.off.get_id()
    return v.get_id()


def _lift(v):
    return S.lift(v, S.is_real(v))


def _name(v: Var) -> str:
    return getattr(v, "name", "a variable")


def _same_int(a, b) -> bool:
    return (Poly.of(a) - Poly.of(b)).constant == 0


def _nonneg(K, facts: Facts):
    return K if facts.holds(K >= 0) else z3.If(K > 0, K, 0)


def _conjuncts(c) -> list:
    if z3.is_and(c):
        return [x for ch in c.children() for x in _conjuncts(ch)]
    return [c]


def _equalities(c, e: tuple) -> list:
    """(e_d, t) for conjuncts `e_d == t` of c with t free of e."""
    ids = {x.get_id() for x in e}
    out = []
    for x in _conjuncts(c):
        if z3.is_eq(x) and x.arg(0).sort() == z3.IntSort():
            for a, b in ((x.arg(0), x.arg(1)), (x.arg(1), x.arg(0))):
                if a.get_id() in ids and not _mentions(b, ids) and all(not a.eq(p) for p, _ in out):
                    out.append((a, b))
                    break
    return out


def _solve_k(c, e: tuple, k):
    """The iteration that writes element e under condition c: (k*, side conditions), from a
    conjunct `e_d == a*k + b`; None if there is none."""
    kid = k.get_id()
    for x in _conjuncts(c):
        if not (z3.is_eq(x) and x.arg(0).sort() == z3.IntSort()):
            continue
        lin = (Poly.of(x.arg(0)) - Poly.of(x.arg(1))).linear_in(kid)
        if lin is None or lin[0] == 0:
            continue
        a, rest = lin                      # a*k + rest == 0
        num = (-rest).term()
        if a == 1:
            return z3.simplify(num), []
        if a == -1:
            return z3.simplify(-num), []
        return z3.simplify(num / a), [num % abs(a) == 0]
    return None


def _solve_trip(cond, k, facts: Facts, line: int):
    """The first k at which a condition linear in k fails (it holds for every smaller k)."""
    if not S.is_term(cond):
        if cond:
            raise Unprovable(f"the loop at line {line} never ends")
        return z3.IntVal(0)
    c = cond if z3.is_bool(cond) else cond != 0
    parts = _conjuncts(c)
    bounds = [_trip_of(p, k, facts, line) for p in parts]
    out = bounds[0]
    for b in bounds[1:]:
        out = z3.If(out < b, out, b)
    return out


def _trip_of(c, k, facts: Facts, line: int):
    kid = k.get_id()
    negate = False
    if z3.is_not(c):
        c, negate = c.arg(0), True
    kind = c.decl().kind() if z3.is_app(c) else None
    ops = {z3.Z3_OP_LT: "<", z3.Z3_OP_LE: "<=", z3.Z3_OP_GT: ">", z3.Z3_OP_GE: ">=",
           z3.Z3_OP_EQ: "==", z3.Z3_OP_DISTINCT: "!="}
    if kind not in ops or c.num_args() != 2 or c.arg(0).sort() != z3.IntSort():
        raise Unprovable(f"the condition of the loop at line {line} is not a comparison of integers")
    op = ops[kind]
    if negate:
        op = {"<": ">=", "<=": ">", ">": "<=", ">=": "<", "==": "!=", "!=": "=="}[op]
    lin = (Poly.of(c.arg(0)) - Poly.of(c.arg(1))).linear_in(kid)
    if lin is None:
        raise Unprovable(f"the condition of the loop at line {line} is not linear in its counter")
    a, b = lin                               # holds while  a*k + b  op  0
    if op in (">", ">="):
        a, b, op = -a, -b, "<" if op == ">" else "<="
    if op in ("<", "<="):
        if a <= 0:
            raise Unprovable(f"the loop at line {line} may never end (its condition does not move toward false)")
        x = -b if op == "<" else -b + Poly.const(1)     # holds while a*k < x
        if a == 1:
            return x.term()
        return (x + Poly.const(a - 1)).term() / a
    if op == "!=" and abs(a) == 1:
        t = (-b).term() if a == 1 else b.term()
        if not facts.holds(t >= 0):
            raise Unprovable(f"the loop at line {line} may step past its end")
        return t
    raise Unprovable(f"the condition of the loop at line {line} is not a bound on its counter")
