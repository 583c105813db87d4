"""Static guidance: what the C code says about the program that computes each output.

For every output we follow the value it is assigned back through local variables to
the array reads, scalars, constants and operators it comes from. The interpreter's
trace then tells, for every array read, which loop moves which of its dimensions, and
whether that loop also moves the output (an output index) or not (a reduction). The
grammar turns these counts into probabilities; nothing here is trusted as an answer.
"""
from __future__ import annotations

import dataclasses
from collections import Counter
from dataclasses import dataclass, field
from typing import Optional

from .. import carith
from ..c import ast as A
from ..c.analysis import Analysis, Region, trace_sides
from ..c.ast import field_path
from ..c.examples import case_sizes
from ..c.reroll import rerolled
from ..errors import TensorliftError, UnsupportedConstruct
from .translate import TraceFacts, loop_steps, translate

REDUCTION = -1   # a pattern position moved by a loop that does not move the output


@dataclass
class Hints:
    """What feeds one output. A pattern is a tuple with, per dimension of the array, the
    output dimension moved by the same loop, or REDUCTION."""
    patterns: Counter = field(default_factory=Counter)     # (array, pattern) -> count
    arrays: Counter = field(default_factory=Counter)       # array -> reads
    scalars: Counter = field(default_factory=Counter)
    constants: Counter = field(default_factory=Counter)
    ops: Counter = field(default_factory=Counter)          # "+", "-", "*", "/", "neg"
    calls: Counter = field(default_factory=Counter)        # math functions: "sqrt", "max", ...
    prods: Counter = field(default_factory=Counter)        # (nonterminal, label) -> uses in answers
    accumulate: bool = False                               # updated in place (`+=`, or reads itself)
    translations: list = field(default_factory=list)       # statements read off the C, tried first
    limit: Optional[str] = None                            # why no program computes this output


@dataclass
class Guidance:
    name: str
    outputs: dict[str, Hints]
    writes: list[str] = field(default_factory=list)   # static: arrays in the order the C wrote them


def write_order(analysis: Analysis, writes: list[str], feeds: dict[str, set[str]]) -> list[str]:
    """Outputs in an order the program can compute them: an output after those whose values
    feed it (`feeds`: output -> arrays it reads), otherwise in the order the C code last
    writes them (`writes`, as static guidance saw them); a returned value comes last."""
    sig = analysis.signature
    arrays = [o for o in sig.outputs if o != sig.function or not sig.returns]
    last = {name: i for i, name in enumerate(writes)}
    pending = sorted(arrays, key=lambda o: last.get(o, -1))
    ordered: list[str] = []
    while pending:
        ready = [o for o in pending if not (feeds.get(o, set()) & (set(pending) - {o}))]
        nxt = (ready or pending)[0]      # a cycle: fall back to the order of the writes
        ordered.append(nxt)
        pending.remove(nxt)
    return ordered + ([sig.function] if sig.returns else [])


def no_guidance(analysis: Analysis) -> Guidance:
    return Guidance("none", {o: Hints() for o in analysis.signature.outputs})


def trace_facts(analysis: Analysis) -> tuple[TraceFacts, list[str]]:
    """A traced run at small sizes: where every access site reads or writes, and the order
    in which the C writes its arrays; with a second run at other sizes. Sizes in descending
    order when ascending ones leave an array untouched (a loop to `n - m`)."""
    runs = []
    for variant in (0, 1, 2, 3):
        try:
            runs.append(_traced(analysis, variant))
        except TensorliftError:
            runs.append(None)
        if variant == 1 and runs[0] is not None and all(runs[0][2]):
            break
    first, second = (runs[0], runs[1]) if len(runs) == 2 else (runs[2] or runs[0], runs[3])
    if first is None:
        raise UnsupportedConstruct("the kernel does not run at small sizes")
    facts, writes, _ = first
    facts.alt = second[0] if second is not None and analysis.free_dims else None
    return facts, writes


_TRACE_SIZES = ((5, 6, 7, 8, 9, 10, 11, 12), (9, 7, 12, 10, 14, 8, 16, 11))
"""Sizes of the traced runs: large enough that a loop over the interior (1 .. n-2) runs
often enough to fit its steps; the second set moves every size and no two alike (a trip
count `n` is not mistaken for `m + 1`)."""


def _traced(analysis: Analysis, variant: int):
    free = analysis.free_dims
    vals = list(_TRACE_SIZES[variant % 2][:len(free)])
    vals += [max(vals or [0]) + 1 + i for i in range(len(free) - len(vals))]
    sizes = case_sizes(analysis, dict(zip(free, sorted(vals, reverse=True) if variant >= 2 else vals)))
    writes: list[str] = []
    executed: set[int] = set()
    buffers = trace_sides(analysis.kernel, analysis.slots, {**sizes, **analysis.fixed}, analysis.sides, seed=1,
                          writes=writes, executed=executed)
    regions = {n: Region.of(analysis.layouts[n], sizes) for n in buffers}
    facts = TraceFacts(sizes, {}, {}, {n: r.strides for n, r in regions.items()}, executed,
                       bases={n: r.base for n, r in regions.items() if r.base})
    # a buffer that is several slots (a vector passed by value and returned) is the output's
    outputs = analysis.signature.outputs
    for name, buf in sorted(buffers.items(), key=lambda kv: kv[0] not in outputs):
        for pos, entry in enumerate(buf.trace):
            sid = id(entry[0])
            facts.site_array.setdefault(sid, name)
            facts.site_trace.setdefault(sid, []).append(entry)
            facts.order[sid] = (facts.order.get(sid, (pos,))[0], pos)
    for name in outputs:
        if name in buffers:
            line = _recurrence(buffers[name].trace)
            if line is not None:
                facts.recurrent[name] = line
            stored: set = set()
            for site, off, _, write, _ in buffers[name].trace:
                if write:
                    stored.add(off)
                elif off in stored:
                    facts.reads_stored.add(id(site))
    return facts, writes, [bool(b.trace) for b in buffers.values()]


def _recurrence(trace) -> Optional[int]:
    """The line of a read of an element that an earlier iteration stored while later ones
    still store (`y[i] = y[i-1] + x[i]`, an in-place factorisation), if any: a dependence
    carried by a loop. Reading the element an iteration itself updates (`C[i][j] += ...`),
    or one an earlier loop of the same iteration filled (a scratch row, as PolyBench's
    doitgen fills `sum[p]` for every `(r, q)` and then copies it out), is no recurrence."""
    last_store = max((pos for pos, e in enumerate(trace) if e[3]), default=-1)
    updated = {(loops, counters, off) for _, off, counters, write, loops in trace if write}
    writer: dict = {}           # offset -> (loops, counters) of its last store
    for pos, (site, off, counters, write, loops) in enumerate(trace):
        if write:
            writer[off] = (loops, counters)
        elif off in writer and pos < last_store and _carried(writer[off], (loops, counters)) \
                and (loops, counters, off) not in updated:
            return site.line
    return None


def _carried(store: tuple, read: tuple) -> bool:
    """Whether a read sees a store made in an earlier iteration of a loop around both."""
    (wl, wc), (rl, rc) = store, read
    j = 0
    while j < len(wl) and j < len(rl) and wl[j] == rl[j] and wc[j] == rc[j]:
        j += 1
    return j < len(wl) and j < len(rl) and wl[j] == rl[j]


def static_guidance(analysis: Analysis) -> Guidance:
    k = analysis.kernel
    sig = analysis.signature
    facts, writes = trace_facts(analysis)
    site_array, site_trace, strides = facts.site_array, facts.site_trace, facts.strides
    scan = _Feeds(analysis, site_array, facts.executed)
    for f in k.functions.values():
        scan.collect(f)
    hints = {o: Hints() for o in sig.outputs}
    for store_site, out_name, rhs, op in scan.stores:
        h = hints.get(out_name)
        if h is None:
            continue
        feed = scan.feeds(rhs, top=op == "=")
        terms, factors = scan.chains(rhs)
        if op in ("*=", "/="):
            factors = [f + 1 for f in factors]      # `C *= e` is `C = C * e`
        elif op in ("+=", "-="):
            terms += 1                               # or `C = C + e`
        h.prods[("terms", terms)] += 1
        for f in factors:
            h.prods[("factors", f)] += 1
        if op != "=":   # `C op= e` reads C: the program is `C = C op e`, or `C += e`
            h.accumulate = h.accumulate or op in ("+=", "-=")
            h.ops[op[0]] += 1
            if store_site is not None:
                feed.sites.append(store_site)
                feed.arrays[out_name] += 1
        if out_name in feed.arrays:
            h.accumulate = True
        h.arrays.update(feed.arrays)
        h.scalars.update(feed.scalars)
        h.constants.update(feed.constants)
        h.ops.update(feed.ops)
        h.calls.update(feed.calls)
        if out_name in scan.selects or feed.selected:
            h.calls["select"] += 1
        w_loops, w_coef = _site_coefficients(site_trace.get(store_site, []))
        for read_site in feed.sites:
            arr = site_array[read_site]
            pat = _pattern(site_trace[read_site], strides[arr], w_loops, w_coef,
                           strides.get(out_name, ()))
            if pat is not None:
                h.patterns[(arr, pat)] += 1
    statements, limits = translate(analysis, facts)
    rolled = rerolled(k) if set(sig.outputs) - set(statements) else None
    if rolled is not None:      # loops unrolled by hand, read rolled up
        alike = dataclasses.replace(analysis, kernel=rolled)
        more, more_limits = translate(alike, trace_facts(alike)[0])
        statements = {**more, **statements}
        limits = list(dict.fromkeys(limits + more_limits))
    for out, h in hints.items():
        h.translations = statements.get(out, [])
        h.limit = limits[0] if limits and not h.translations else None
    return Guidance("static", hints, writes)


def _site_coefficients(entries) -> tuple[tuple, dict]:
    """The loops around an access site and the offset step of each (loop id -> step)."""
    if not entries:
        return (), {}
    loops, _, steps = loop_steps(entries)
    return loops, dict(zip(loops, steps)) if steps is not None else {}


def _pattern(entries, arr_strides, w_loops, w_coef, out_strides) -> Optional[tuple]:
    loops, coef = _site_coefficients(entries)
    if not coef and arr_strides:
        return None
    pat = []
    for st in arr_strides:
        movers = [lp for lp in loops if abs(coef.get(lp, 0)) == st]
        if len(movers) != 1:
            return None
        lp = movers[0]
        c = abs(w_coef.get(lp, 0)) if lp in w_loops else 0
        if c == 0:
            pat.append(REDUCTION)
        elif c in out_strides:
            pat.append(list(out_strides).index(c))
        else:
            return None
    return tuple(pat)


@dataclass
class _Feed:
    sites: list = field(default_factory=list)
    arrays: Counter = field(default_factory=Counter)
    scalars: Counter = field(default_factory=Counter)
    constants: Counter = field(default_factory=Counter)
    ops: Counter = field(default_factory=Counter)
    calls: Counter = field(default_factory=Counter)
    selected: bool = False          # a local set under a condition on data feeds this

    def add(self, other: "_Feed"):
        self.selected = self.selected or other.selected
        self.sites += other.sites
        for a in ("arrays", "scalars", "constants", "ops", "calls"):
            getattr(self, a).update(getattr(other, a))


class _Feeds:
    """Follows values back through locals (flow-insensitively) to what they are made of."""

    def __init__(self, analysis: Analysis, site_array: dict[int, str], executed: set[int]):
        self.site_array = site_array
        self.executed = executed        # code that did not run (another case of a flag) says nothing
        self.scalars = {s.name for s in analysis.slots if s.kind == "scalar"}
        self.constants = {g.name: g.init for g in analysis.kernel.globals.values() if g.const}
        self.functions = analysis.kernel.functions
        self.returns: dict[str, list] = {}      # helper function -> the values it returns
        self.function = analysis.kernel.name
        self.assigned: dict[str, list] = {}
        self.stores: list = []          # (store site id, output, rhs, op)
        self._memo: dict[str, _Feed] = {}
        self.selects: set = set()       # outputs and locals assigned under a condition on data
        self._active: set[str] = set()

    def collect(self, f: A.Function):
        guarded = {id(x) for n in A.walk(f.body) if isinstance(n, A.If) and self._reads_data(n.cond)
                   for branch in (n.then, n.other) if branch is not None for x in A.walk(branch)}
        for n in A.walk(f.body):
            if isinstance(n, (A.Assign, A.Decl, A.Return)) and id(n) not in self.executed:
                continue
            if isinstance(n, A.Method) and n.method in ("push_back", "emplace_back") and n.args \
                    and id(n) in self.site_array:       # C++: an element appended to an output
                self.stores.append((id(n), self.site_array[id(n)], n.args[0], "="))
                if id(n) in guarded:
                    self.selects.add(self.site_array[id(n)])
            if isinstance(n, A.Assign):
                lv = n.target
                if id(lv) in self.site_array:            # an element, also through a reference
                    self.stores.append((id(lv), self.site_array[id(lv)], n.value, n.op))
                elif isinstance(lv, A.Name):
                    self.assigned.setdefault(lv.name, []).append((n.value, n.op))
                if id(n) in guarded:      # set under a condition on data: a select, min or max
                    self.selects.add(self.site_array.get(id(lv)) or getattr(lv, "name", None))
            elif isinstance(n, A.Decl) and n.init is not None:
                self.assigned.setdefault(n.name, []).append((n.init, "="))
            elif isinstance(n, A.Return) and n.value is not None:
                if f.name == self.function:
                    self.stores.append((None, self.function, n.value, "="))
                else:
                    self.returns.setdefault(f.name, []).append(n.value)
            elif isinstance(n, A.Call) and n.func in self.functions:
                for param, arg in zip(self.functions[n.func].params, n.args):   # a helper's
                    self.assigned.setdefault(param.name, []).append((arg, "="))   # parameters

    def chains(self, e, depth: int = 0) -> tuple[int, list[int]]:
        """Terms of the value's top sum and factors of each term, with locals inlined
        (an accumulator by what it adds up): `sum += ALPHA*A[i]*B[j]; C[i] += sum` has
        one term of three factors."""
        e = self._inline(e, depth)
        terms = []
        _split(e, "+-", terms)
        factors = []
        for t in terms:
            fs: list = []
            _split(self._inline(t, depth), "*/", fs, expand=lambda x: self._inline(x, depth))
            factors.append(len(fs))
        return len(terms), factors

    def _inline(self, e, depth: int):
        e = _uncast(e)
        if depth < 8 and isinstance(e, A.Name) and e.name not in self.scalars:
            nontrivial = [rhs for rhs, op in self.assigned.get(e.name, [])
                          if not (isinstance(_uncast(rhs), A.Lit) and _uncast(rhs).value == 0)]
            if len(nontrivial) == 1:
                return self._inline(nontrivial[0], depth + 1)
        return e

    def _reads_data(self, e) -> bool:
        return any(id(n) in self.site_array for n in A.walk(e)) or \
            any(isinstance(n, A.Name) and n.name in self.assigned for n in A.walk(e))

    def feeds(self, e, top: bool = False) -> _Feed:
        f = _Feed()
        if e is None:
            return f
        if isinstance(e, (A.Index, A.Unary, A.Name)) and id(e) in self.site_array:
            f.sites.append(id(e))
            f.arrays[self.site_array[id(e)]] += 1
            return f
        if isinstance(e, A.Name):
            if e.name in self.scalars:
                f.scalars[e.name] += 1
            elif e.scope == "global" and isinstance(self.constants.get(e.name), A.Lit):
                f.add(self.feeds(self.constants[e.name]))      # a constant global: its value
            else:
                f.add(self._local(e.name))
                f.selected = f.selected or e.name in self.selects
            return f
        if isinstance(e, (A.Member, A.Index)):
            name = field_path(e)
            if name in self.scalars:
                f.scalars[name] += 1
            return f
        if isinstance(e, A.Lit):
            if not (top and e.value == 0):
                v = e.value
                f.constants[int(v) if isinstance(v, int) else float(v)] += 1
            return f
        if isinstance(e, A.Binary):
            if e.op in ("+", "-", "*", "/"):
                f.ops[e.op] += 1
            f.add(self.feeds(e.left))
            f.add(self.feeds(e.right))
            return f
        if isinstance(e, A.Unary):
            if e.op == "-":
                f.ops["neg"] += 1
            if e.op in ("-", "+", "p++", "p--", "++", "--", "*"):
                f.add(self.feeds(e.operand))
            return f
        if isinstance(e, A.Cast):
            f.add(self.feeds(e.expr, top))
            inner = getattr(e.expr, "type", None)
            if not e.implicit and isinstance(e.type, A.Scalar) and carith.is_float(e.type.dtype) \
                    and isinstance(inner, A.Scalar) and carith.is_int(inner.dtype):
                f.constants[1.0] += 1      # `(float)a[i] / n`: a program writes `1.0 * a(i) / n`
            return f
        if isinstance(e, A.Cond):
            f.calls["select"] += 1
            for part in (e.cond, e.then, e.other):
                f.add(self.feeds(part))
            return f
        if isinstance(e, A.Call):
            if e.func in self.functions:            # a helper: what it returns
                if e.func not in self._active:
                    self._active.add(e.func)
                    for value in self.returns.get(e.func, []):
                        f.add(self.feeds(value))
                    self._active.discard(e.func)
                return f
            f.calls[e.func.rstrip("f")] += 1
            for a in e.args:
                f.add(self.feeds(a))
            return f
        return f

    def _local(self, name: str) -> _Feed:
        if name in self._memo:
            return self._memo[name]
        f = _Feed()
        if name in self._active:
            return f
        self._active.add(name)
        for rhs, op in self.assigned.get(name, []):
            f.add(self.feeds(rhs, top=op == "="))
            if op in ("-=", "*=", "/="):
                f.ops[op[0]] += 1
        self._active.discard(name)
        self._memo[name] = f
        return f


def _uncast(e):
    while isinstance(e, A.Cast):
        e = e.expr
    return e


def _split(e, ops: str, out: list, expand=lambda x: x) -> None:
    """The operands of a chain of `ops` (a + b - c -> [a, b, c])."""
    e = _uncast(expand(e))
    if isinstance(e, A.Binary) and e.op in ops:
        _split(e.left, ops, out, expand)
        _split(e.right, ops, out, expand)
    else:
        out.append(e)
