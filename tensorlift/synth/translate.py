"""Candidate statements read off the C code, one per output, checked like any other.

A symbolic walk over the kernel's statements keeps, for every local and for the current
element of every output, an expression in index notation. Array reads become accesses
indexed by the loops that move them (from the interpreter's trace, so pointer walks and
flattened subscripts read the same as `A[i][j]`); a condition on data becomes `where`;
a loop that does not move an output element folds what it does to a value into a
reduction: `s += e` a sum, `s *= e` a product, `s = max(s, e)` or `if (e > s) s = e` a
max. Loops that move the output are the left side's variables.

This is guidance, not an answer: it is right when the C is as simple as it looks, and a
program built from it is checked on the examples and proved like a searched one. What the
walk cannot follow (a condition on a loop variable, a temporary array, a value left over
from the last iteration) leaves the output without a candidate, and the search finds it.
"""
from __future__ import annotations

import itertools
from collections import Counter
from dataclasses import dataclass, field
from typing import Optional

from ..c import ast as A
from ..c.affine import Affine, Product, fit
from ..c.analysis import Analysis, fit_site
from ..c.interp import math_name
from ..c.slots import path_of, vector_paths
from ..taco import ir, ops
from ..taco.parse import parse_statement
from ..taco.semantics import reduction_homes, size_names
from ..errors import TensorliftError

Expr = ir.Expr
_MAX_NODES = 400      # an expression this large is no program a user wants to read


@dataclass
class TraceFacts:
    """What one traced run of the interpreter says about the kernel's access sites."""
    sizes: dict
    site_array: dict            # site id -> the slot it reads or writes
    site_trace: dict            # site id -> trace entries (site, offset, counters, write, loops)
    strides: dict               # slot -> strides at `sizes`
    executed: set               # ids of statements that ran
    order: dict = field(default_factory=dict)   # site id -> (first, last) position in its buffer's trace
    alt: Optional["TraceFacts"] = None          # a second run at other sizes (constants that move with them)
    recurrent: dict = field(default_factory=dict)   # output -> line where it reads what an earlier iteration stored
    reads_stored: set = field(default_factory=set)  # ids of sites that read an output element already stored
    bases: dict = field(default_factory=dict)       # slot -> where its window starts (arrays read at an offset)


@dataclass(frozen=True)
class _Site:
    array: str
    dims: tuple            # per dimension an Affine over loop symbols "@n"


def _placeholder(key: str) -> ir.Access:
    return ir.Access(f"§{key}")


def _dim(d: int) -> str:
    return f"§{d}"


class _Walk:
    def __init__(self, analysis: Analysis, facts: TraceFacts):
        self.analysis = analysis
        self.facts = facts
        self.kernel = analysis.kernel
        sig = analysis.signature
        self.outputs = set(sig.outputs)
        self.scalars = {p.name for p in sig.params if p.kind == "scalar"}
        self.fixed = set(analysis.dims) | set(analysis.fixed)     # sizes and flags: not data
        self.paths = vector_paths(self.kernel)
        self.vector_sizes = {(s.param, s.size_of.count("[0]")): s.name for s in analysis.slots if s.size_of}
        self.constants = {g.name: g.init for g in self.kernel.globals.values() if g.const}
        self.syms: dict[int, str] = {}
        self.sites = {sid: s for sid in facts.site_array if (s := self._site(sid)) is not None}
        self.by_key: dict[tuple, list[_Site]] = {}
        self.last_store: dict[str, int] = {}      # array -> its last write, as a position in its trace
        self.first_store: dict[str, int] = {}
        self.store_sites: dict[str, list[int]] = {}
        for sid, array in facts.site_array.items():
            if sid in facts.order and any(e[3] for e in facts.site_trace[sid]):
                self.last_store[array] = max(self.last_store.get(array, -1), facts.order[sid][1])
                self.first_store[array] = min(self.first_store.get(array, 1 << 62), facts.order[sid][0])
                self.store_sites.setdefault(array, []).append(sid)
        self.limits: list[str] = []             # what no program in the notation can compute
        self.loop_vars: set[str] = set()        # C loop variables: indices, not values
        self.index_locals: set[str] = set()     # locals that hold an index as a value
        self._borrow_fits(analysis.kernel)
        self.elem: dict[str, Optional[Expr]] = {}
        self.stored: set[str] = set()
        self.active: list[str] = []         # helpers being inlined (no recursion)
        self.selecting = False              # inside a select on data: both sides count
        self.loop_syms: list[str] = []      # the loops around the statement walked
        self.back: dict[str, dict] = {}     # output -> loop symbols as its dimensions, at its last store
        self.domain: dict[str, Optional[tuple]] = {}   # output -> the part its stores cover

    # ---------------------------------------------------------------- sites
    def sym(self, loop_id: int) -> str:
        return self.syms.setdefault(loop_id, f"@{len(self.syms)}")

    def _site(self, sid: int) -> Optional[_Site]:
        """The index of an access site per dimension: affine in its loops' iteration numbers,
        and in the sizes when a second run at other sizes moves its constant (`x[n-1-i]`).
        A step is split over the dimensions so that both runs agree (`A[i*n + i + j]` moves
        both indices with i)."""
        array = self.facts.site_array[sid]
        raw = _raw_fit(self.facts, sid)
        if raw is None:
            return None
        alt = self.facts.alt
        raw_alt = _raw_fit(alt, sid) if alt is not None else None
        if raw_alt is not None and raw_alt[0] != raw[0]:
            raw_alt = None
        loops, steps, c0 = raw
        c0 -= self.facts.bases.get(array, 0)
        if raw_alt is not None:
            raw_alt = (raw_alt[0], raw_alt[1], raw_alt[2] - alt.bases.get(array, 0))
        strides = self.facts.strides.get(array, ())
        strides_alt = alt.strides.get(array, ()) if raw_alt is not None else None
        terms: list[dict] = [dict() for _ in strides]
        for k, (loop, step) in enumerate(zip(loops, steps)):
            if step == 0 and (raw_alt is None or raw_alt[1][k] == 0):
                continue
            split = _split(step, strides, raw_alt[1][k] if raw_alt else None, strides_alt)
            if split is None:
                return None
            for d, a in enumerate(split):
                if a:
                    terms[d][self.sym(loop)] = a
        consts = _split(c0, strides, raw_alt[2] if raw_alt else None, strides_alt)
        if consts is not None:
            return _Site(array, tuple(Affine(tuple(t.items()), c) for t, c in zip(terms, consts)))
        consts = _split(c0, strides, None, None)
        if consts is None:
            return None
        other = _split(raw_alt[2], strides_alt, None, None) if raw_alt is not None else None
        dims = []
        for d, (t, c) in enumerate(zip(terms, consts)):
            aff = Affine(tuple(t.items()), c)
            if other is not None and other[d] != c:
                aff = self._sized(array, d, c, other[d], aff)
                if aff is None:
                    return None
            dims.append(aff)
        return _Site(array, tuple(dims))

    def _sized(self, array: str, d: int, c: int, c_alt: int, aff: Affine) -> Optional[Affine]:
        """A constant that moves with the sizes: the dimension's extent, or a size, plus a
        constant (`n - 1`)."""
        shape = self.analysis.layouts[array].shape
        options = [shape[d]] if d < len(shape) and isinstance(shape[d], Affine) else []
        options += [Affine(((n, 1),)) for n in self.analysis.free_dims]
        for size in options:
            k = c - size.eval(self.facts.sizes)
            if c_alt - size.eval(self.facts.alt.sizes) == k:
                return aff + Affine(size.terms, size.const + k - c)
        return None

    def _borrow_fits(self, kernel) -> None:
        """A site that ran too few times to fit (a branch taken twice), or never, takes the
        index of a site with the same subscripts (`m = a[i]` under `if (a[i] > m)`), if that
        explains every offset it saw."""
        nodes = {id(n): n for f in kernel.functions.values() for n in A.walk(f.body)}
        for sid, site in list(self.sites.items()):
            if sid in nodes:
                key = A.structure(nodes[sid])
                if site not in self.by_key.setdefault(key, []):
                    self.by_key[key].append(site)
        for sid, array in self.facts.site_array.items():
            if sid in self.sites or sid not in nodes:
                continue
            for site in self.by_key.get(A.structure(nodes[sid]), []):
                if site.array == array and self._explains(site, sid):
                    self.sites[sid] = site
                    break

    def site_of(self, node) -> Optional[_Site]:
        if id(node) in self.sites:
            return self.sites[id(node)]
        if id(node) in self.facts.site_array:
            return None          # it ran, and no index explains its offsets
        # never ran: as a site with its subscripts, in the loops around it
        same = [st for st in self.by_key.get(A.structure(node), [])
                if all(n in self.loop_syms for d in st.dims for n in d.names if n.startswith("@"))]
        return same[0] if len(same) == 1 else None

    def _explains(self, site: _Site, sid: int) -> bool:
        strides = self.facts.strides.get(site.array, ())
        base = self.facts.bases.get(site.array, 0)
        for _, off, counters, _, loops in self.facts.site_trace.get(sid, ()):
            env = {self.syms.get(lp, ""): c for lp, c in zip(loops, counters)}
            try:
                if sum(st * aff.eval(env) for st, aff in zip(strides, site.dims)) != off - base:
                    return False
            except KeyError:
                return False
        return True

    def element_map(self, site: _Site, lanes: frozenset = frozenset()) -> Optional[dict[str, Affine]]:
        """For an access of one element per iteration: output dimension variable -> its value
        in loop symbols (`y[i+1]`, or `C[i][i+j]` when j starts at i)."""
        if self.inverse(site, lanes) is None:
            return None
        return {_dim(d): aff for d, aff in enumerate(site.dims)}

    def lanes(self, site: _Site) -> frozenset:
        """The dimensions a store holds at a constant of a dimension of constant extent: one
        component of interleaved data (`y[2*i+1]`, the imaginary part)."""
        shape = self.analysis.layouts[site.array].shape if site.array in self.analysis.layouts else ()
        return frozenset(d for d, aff in enumerate(site.dims) if not aff.terms and d < len(shape)
                         and isinstance(shape[d], Affine) and not shape[d].terms)

    def inverse(self, site: _Site, lanes: frozenset = frozenset()) -> Optional[dict[str, Affine]]:
        """Loop symbol -> its value in the output dimensions: the dimensions must be moved
        by as many loops, each new loop by step 1 (a triangular solve); `lanes` are left out."""
        back: dict[str, Affine] = {}
        for d, aff in enumerate(site.dims):
            if d in lanes:
                continue
            new = [(n, c) for n, c in aff.terms if n not in back]
            if len(new) != 1 or new[0][1] != 1:
                return None
            rest = Affine(tuple((n, c) for n, c in aff.terms if n in back), aff.const).substitute(back)
            back[new[0][0]] = Affine(((_dim(d), 1),)) - rest
        return back

    # ---------------------------------------------------------------- expressions
    def access(self, site: _Site) -> ir.Access:
        return ir.Access(site.array, site.dims)

    def _recurrence(self, node, site: _Site) -> bool:
        """A read of an output while loops still store to it, of an element other than the
        one each iteration stores, when the trace shows a dependence that a loop carries (an
        element an earlier loop of the same iteration filled is a value, not a recurrence)."""
        order = self.facts.order.get(id(node))
        array = site.array
        if order is None or array not in self.outputs or array not in self.first_store \
                or array not in self.facts.recurrent:
            return False
        if not (order[0] < self.last_store[array] and order[1] > self.first_store[array]):
            return False
        loops = self.facts.site_trace[id(node)][0][4]
        same = [self.sites.get(s) for s in self.store_sites[array]
                if self.facts.site_trace[s][0][4][:len(loops)] == loops or loops[:len(self.facts.site_trace[s][0][4])]
                == self.facts.site_trace[s][0][4]]
        return bool(same) and all(st is not None and st.dims != site.dims for st in same)

    def initial(self, array: str) -> ir.Access:
        """An output element's value before the kernel writes it (its input value)."""
        order = len(self.analysis.layouts[array].shape) if array in self.analysis.layouts else 0
        return ir.Access(array, tuple(Affine(((_dim(d), 1),)) for d in range(order)))

    def read(self, node) -> Optional[Expr]:
        site = self.site_of(node)
        if site is None:
            return None
        if site.array in self.outputs and id(node) in self.facts.site_trace \
                and id(node) not in self.facts.reads_stored:
            return self.access(site)            # only ever elements not yet stored: their input values
        if self._recurrence(node, site):
            self.limits.append(f"'{site.array}' at line {node.line} reads elements of itself that the same "
                               "loops compute (a recurrence, such as a scan or an in-place factorisation)")
            return None
        if site.array in self.outputs and site.array in self.stored:
            if self.facts.order.get(id(node), (-1,))[0] > self.last_store.get(site.array, -1):
                return self.access(site)        # the output as computed: an earlier statement's
        if site.array in self.outputs and site.array in self.elem:
            # the element this iteration computes, or one an earlier loop of the iteration
            # filled (`m = x[0]` after the loop that set x): its value at this index
            value = self.elem[site.array]
            return _subst(value, {_dim(d): aff for d, aff in enumerate(site.dims)}) if value is not None else None
        return self.access(site)

    def expr(self, e, frame: dict) -> Optional[Expr]:
        if isinstance(e, (A.Index, A.Unary, A.Name, A.Decl)) and (
                id(e) in self.facts.site_array or (_element(e) and self.selecting)):
            return self.read(e)
        if isinstance(e, A.Cast):
            return self.expr(e.expr, frame)
        if isinstance(e, A.Lit):
            return ir.Const(e.value)
        if isinstance(e, A.Name):
            if e.name in frame:
                return frame[e.name]
            if e.scope == "param" and e.name in self.scalars:
                return ir.Access(e.name)
            if e.scope == "global":
                if e.name in self.scalars:
                    return ir.Access(e.name)
                init = self.constants.get(e.name)
                return self.expr(init, {}) if isinstance(init, A.Lit) else None
            return None
        if isinstance(e, A.Unary):
            v = self.expr(e.operand, frame)
            if v is None or e.op not in ("-", "+", "!"):
                return None
            if e.op == "-":
                return ir.Const(-v.value) if isinstance(v, ir.Const) else ir.Neg(v)
            return v if e.op == "+" else ir.Not(v)
        if isinstance(e, A.Binary):
            if e.op not in ops.BINARY:
                return None
            left, right = self.expr(e.left, frame), self.expr(e.right, frame)
            return None if left is None or right is None else ir.BinOp(e.op, left, right)
        if isinstance(e, A.Method) and e.method == "size" and not e.args:
            path = path_of(self.paths, self.active[-1] if self.active else self.kernel.name, e.obj)
            size = self.vector_sizes.get(path) if path else None      # `x.size()` is the size n0
            return ir.Access(size) if size else None
        if isinstance(e, A.Cond):
            cond = self.expr(e.cond, frame)
            selecting, self.selecting = self.selecting, True     # a side may not have run
            parts = [cond] + [self.expr(x, frame) for x in (e.then, e.other)]
            self.selecting = selecting
            return None if parts[0] is None else _select(*parts)
        if isinstance(e, A.Call):
            args = [self.expr(a, frame) for a in e.args]
            if e.func in self.kernel.functions:
                params = self.kernel.functions[e.func].params
                if any(v is None and isinstance(A.strip_ref(p.type), A.Scalar) for p, v in zip(params, args)):
                    return None         # arrays are passed as nothing: their reads are traced
                return self.inline(e.func, args)
            name = ops.FROM_C.get(e.func) or ops.FROM_C.get(math_name(e.func) or "") or math_name(e.func) or e.func
            if name not in ops.ARITY or ops.ARITY[name] != len(args) or None in args:
                return None
            return ir.Call(name, tuple(args))
        return None

    def inline(self, name: str, args: list) -> Optional[Expr]:
        """A helper's returned value, its parameters bound to the arguments' values."""
        f = self.kernel.functions[name]
        if name in self.active or len(f.params) != len(args):
            return None
        self.active.append(name)
        frame = {p.name: a for p, a in zip(f.params, args)}
        try:
            self.block(f.body.items, frame)
        finally:
            self.active.pop()
        return frame.get("$return")

    # ---------------------------------------------------------------- statements
    def block(self, items: list, frame: dict) -> None:
        for node in items:
            if "$return" in frame:
                return
            self.stmt(node, frame)

    def stmt(self, node, frame: dict) -> None:
        if node is None or (id(node) not in self.facts.executed and not self.selecting):
            return      # another case of a flag or a size (a side of a select on data did not run by chance)
        if isinstance(node, A.Block):
            self.block(node.items, frame)
        elif isinstance(node, A.Decl):
            if node.init is not None:
                self.note_index(node.name, node.init)
            if isinstance(node.type, A.Scalar):
                frame[node.name] = self.expr(node.init, frame) if node.init is not None else None
            elif isinstance(A.strip_ref(node.type), A.Scalar) and node.init is not None:
                frame[node.name] = self.expr(node.init, frame)
        elif isinstance(node, A.ExprStmt):
            self.effect(node.expr, frame)
        elif isinstance(node, A.Return):
            if node.value is None:
                return
            if self.active:
                frame["$return"] = self.expr(node.value, frame)
            elif self.analysis.signature.returns_shape is None and self.analysis.signature.returns:
                self.check_value(node.value)
                self.elem[self.kernel.name] = self.expr(node.value, frame)
                self.stored.add(self.kernel.name)
        elif isinstance(node, A.If):
            self.branch(node, frame)
        elif isinstance(node, A.Loop):
            self.loop(node, frame)
        else:
            self.spoil(node, frame)

    def effect(self, e, frame: dict) -> None:
        if isinstance(e, A.Assign):
            self.assign(e, frame)
        elif isinstance(e, A.Method) and e.method in ("push_back", "emplace_back") and e.args:
            if id(e) in self.facts.site_array:
                self.check_value(e.args[0])
                self.store(e, "=", self.expr(e.args[0], frame))
        elif isinstance(e, A.Unary) and e.op in ("++", "--", "p++", "p--"):
            if isinstance(e.operand, A.Name) and e.operand.name in frame and frame[e.operand.name] is not None:
                one = ir.BinOp("+" if "+" in e.op else "-", frame[e.operand.name], ir.Const(1))
                frame[e.operand.name] = one
        elif isinstance(e, A.Call) and e.func in self.kernel.functions:
            f = self.kernel.functions[e.func]
            if e.func in self.active:
                return self.spoil(e, frame)
            self.active.append(e.func)
            inner = {p.name: self.expr(a, frame) for p, a in zip(f.params, e.args)}
            try:
                self.block(f.body.items, inner)
            finally:
                self.active.pop()
        elif isinstance(e, A.Comma):
            for x in e.exprs:
                self.effect(x, frame)
        elif not isinstance(e, (A.Method, A.Call)) or _writes(e, self.facts.site_array):
            self.spoil(e, frame)

    def note_index(self, name: str, value) -> None:
        """A local that holds an index (`best = i`), not one used in subscripts only."""
        if _index_in(value, self.loop_vars | self.index_locals):
            self.index_locals.add(name)

    def check_value(self, value) -> None:
        """An index in a stored or returned value: argmax, not a tensor expression."""
        if _index_in(value, self.loop_vars | self.index_locals):
            self.limits.append(f"the value stored or returned at line {value.line} is a loop index "
                               "(a position, such as argmax's, is not a tensor value)")

    def assign(self, e: A.Assign, frame: dict) -> None:
        if isinstance(e.target, A.Name):
            self.note_index(e.target.name, e.value)
        elif id(e.target) in self.facts.site_array:
            self.check_value(e.value)
        value = self.expr(e.value, frame)
        op = e.op
        if op != "=" and op[0] not in "+-*/":
            value = None
        if id(e.target) in self.facts.site_array or (self.selecting and _element(e.target)):
            return self.store(e.target, op, value)
        if isinstance(e.target, A.Name) and (e.target.name in frame or e.target.scope == "local"):
            if isinstance(A.strip_ref(e.target.type), A.Scalar):
                old = frame.get(e.target.name)
                frame[e.target.name] = value if op == "=" else _binop(op[0], old, value)

    def store(self, node, op: str, value: Optional[Expr]) -> None:
        site = self.site_of(node)
        array = self.facts.site_array.get(id(node)) or (site.array if site is not None else _root(node))
        if array not in self.outputs:
            return
        lanes = self.lanes(site) if site is not None else frozenset()
        m = self.element_map(site, lanes) if site is not None else None
        if m is None:
            self.elem[array] = None
            self.stored.add(array)
            return
        before = self.elem.get(array, self.initial(array))
        cur = _subst(before, m) if before is not None else None
        new = value if op == "=" else _binop(op[0], cur, value)
        back = self.inverse(site, lanes)
        self.elem[array] = _subst(new, back) if new is not None else None
        if lanes:       # one component: the others keep what they hold
            here = [ir.BinOp("==", ir.Access(_dim(d)), ir.Const(site.dims[d].const)) for d in sorted(lanes)]
            cond = here[0] if len(here) == 1 else ir.BinOp("&&", here[0], here[1]) if len(here) == 2 else None
            self.elem[array] = _select(cond, self.elem[array], before) if cond is not None else None
        self.back[array] = back
        domain = self.coverage(node, site, back)
        if array in self.domain and self.domain[array] != domain:
            self.elem[array] = None       # stores that cover different parts of the output
        self.domain[array] = domain
        self.stored.add(array)

    def coverage(self, node, site: _Site, back: dict[str, Affine]) -> Optional[tuple]:
        """The part of the output a store site covers, as conditions `affine >= 0` on the
        output's dimensions and sizes (None: all of it). Each loop that moves the store runs
        a number of times affine in the loops around it and in the sizes (`j <= i`,
        `1 <= i <= n-2`)."""
        entries = self.facts.site_trace.get(id(node))
        if not entries or not site.dims:
            return None
        loops = entries[0][4]
        conds = []
        for k, loop in enumerate(loops):
            sym = self.syms.get(loop)
            if sym not in back:
                continue
            # the loop's own trip count, from every access inside it (a store under a
            # condition runs in some iterations only)
            count = _trip_count(_inside(self.facts, loops[:k + 1]), k, loops, self.sym)
            alt = _inside(self.facts.alt, loops[:k + 1]) if self.facts.alt is not None else None
            count_alt = _trip_count(alt, k, loops, self.sym) if alt else None
            if count is None:
                return ("?",)
            if count_alt is not None and count_alt.const != count.const:
                own = next(d for d, aff in enumerate(site.dims) if sym in aff.names)
                extent = self.analysis.layouts[site.array].shape[own]
                if not count.terms and isinstance(extent, Product) and back[sym] == Affine(((_dim(own), 1),)) \
                        and (count.const, count_alt.const) == (extent.eval(self.facts.sizes), extent.eval(self.facts.alt.sizes)):
                    continue        # one loop over all of a flattened dimension (`i < m*n`)
                sized = self._sized_count(count, count_alt, site, own)
                if sized is None:
                    return ("?",)
                count = sized
            conds.append(back[sym])                                        # sym >= 0
            conds.append((count - Affine((), 1) - Affine(((sym, 1),))).substitute(back))   # sym <= count-1
        shape = self.analysis.layouts[site.array].shape
        full = {Affine(((_dim(d), 1),)) for d in range(len(shape))} | \
            {shape[d] - Affine((), 1) - Affine(((_dim(d), 1),)) for d in range(len(shape)) if isinstance(shape[d], Affine)}
        kept = tuple(sorted((c for c in conds if c not in full and not (not c.terms and c.const >= 0)), key=str))
        return kept or None

    def _sized_count(self, count: Affine, count_alt: Affine, site: _Site, own: int) -> Optional[Affine]:
        """A trip count whose constant moves with the sizes: the extent of the dimension the
        loop moves, another extent, or a size, plus a constant."""
        shape = self.analysis.layouts[site.array].shape
        options = [e for e in [shape[own]] + list(shape) if isinstance(e, Affine)] + \
            [Affine(((n, 1),)) for n in self.analysis.free_dims]
        for size in options:
            k = count.const - size.eval(self.facts.sizes)
            if count_alt.const - size.eval(self.facts.alt.sizes) == k:
                return Affine(count.terms, 0) + size + Affine((), k)
        return None

    def branch(self, node: A.If, frame: dict) -> None:
        cond = self.expr(node.cond, frame)
        if cond is None:
            return self.spoil(node, frame)      # a condition on loop variables: no select
        if not any(isinstance(x, ir.Access) and x.name not in self.fixed for x in ir.nodes(cond)):
            for b in (node.then, node.other):   # on sizes and flags: the side that ran is this case
                self.stmt(b, frame)
            return
        states = []
        saved, selecting = self.elem, self.selecting
        self.selecting = True
        for b in (node.then, node.other):
            f = dict(frame)
            self.elem = dict(saved)
            if b is not None:
                self.stmt(b, f)
            states.append((f, self.elem))
        self.elem, self.selecting = saved, selecting
        (ft, et), (fo, eo) = states
        for key in set(ft) | set(fo):
            frame[key] = _select(cond, ft.get(key), fo.get(key))
        for key in set(et) | set(eo):
            self.elem[key] = _select(_subst(cond, self.back.get(key, {})), et.get(key, self.initial(key)),
                                     eo.get(key, self.initial(key)))

    def loop(self, node: A.Loop, frame: dict) -> None:
        if id(node.body) not in self.facts.executed:
            return
        sym = self.sym(id(node))
        self.loop_syms.append(sym)
        try:
            self._loop(node, frame, sym)
        finally:
            self.loop_syms.pop()

    def _loop(self, node: A.Loop, frame: dict, sym: str) -> None:
        assigned = _assigned(node.body)
        maps = {self.facts.site_array[s] for s in _store_sites(node.body, self.facts.site_array)
                if self.sites.get(s) is not None and any(sym in a.names for a in self.sites[s].dims)}
        if node.over is not None:
            decl = node.init
            frame[decl.name] = self.read(decl) if not isinstance(decl.type, A.Ref) else None
        elif isinstance(node.init, A.Decl):
            frame[node.init.name] = None      # the loop variable has no value in a program
            self.loop_vars.add(node.init.name)
        elif isinstance(node.init, A.ExprStmt) and isinstance(node.init.expr, A.Assign) \
                and isinstance(node.init.expr.target, A.Name):
            frame[node.init.expr.target.name] = None
            self.loop_vars.add(node.init.expr.target.name)
        self.loop_vars |= _counters(node)
        before_frame = {k: frame.get(k) for k in assigned if k in frame}
        before_elem = dict(self.elem)
        for k in before_frame:
            frame[k] = _placeholder(k)
        touched = {self.facts.site_array[s] for s in _store_sites(node.body, self.facts.site_array)}
        for a in touched - maps:
            if a in self.outputs:
                self.elem[a] = _placeholder("a:" + a)
        self.stmt(node.body, frame)
        fold = self._fold_over(node, sym)
        for k, before in before_frame.items():
            frame[k] = fold(frame.get(k), _placeholder(k), before)
        for a in touched - maps:
            if a in self.outputs:
                before = before_elem[a] if a in before_elem else self.initial(a)
                self.elem[a] = fold(self.elem.get(a), _placeholder("a:" + a), before)

    def _fold_over(self, node: A.Loop, sym: str):
        """`_fold` for this loop; a reduction whose range moves with an outer loop's index
        (`for (k = i+1; k < m; k++) s += ...`) is beyond the notation, and said so."""
        def fold(after, p, before):
            red = _fold(after, p, before, sym)
            if red is None and after is not None and p not in ir.nodes(after) and sym in _syms(after):
                # set anew by every iteration (a scratch row, the last element seen): after
                # the loop, what the last iteration set
                last = self._last_iteration(node)
                return _subst(after, {sym: last}) if last is not None else None
            if red is None or not any(isinstance(x, ir.Reduce) and sym in x.vars for x in ir.nodes(red)):
                return red
            entries = [e for es in self.facts.site_trace.values() for e in es if id(node) in e[4]]
            if entries:
                k = entries[0][4].index(id(node))
                count = _trip_count(entries, k, entries[0][4][:k + 1], self.sym)
                if count is not None and count.terms:
                    self.limits.append(f"the loop at line {node.line} reduces over a range that moves with an "
                                       "outer loop's index (a triangular reduction)")
                    return None
            return red
        return fold

    def _last_iteration(self, node: A.Loop) -> Optional[Affine]:
        """The iteration number of a loop's last iteration, as a size and a constant, when
        it runs a number of times that does not depend on the loops around it."""
        entries = [e for es in self.facts.site_trace.values() for e in es if id(node) in e[4]]
        if not entries or self.facts.alt is None:
            return None
        k = entries[0][4].index(id(node))
        loops = entries[0][4][:k + 1]
        count = _trip_count(_inside(self.facts, loops), k, loops, self.sym)
        alt = [e for es in self.facts.alt.site_trace.values() for e in es if id(node) in e[4]]
        count_alt = _trip_count(alt, k, alt[0][4][:k + 1], self.sym) if alt else None
        if count is None or count_alt is None or count.terms or count_alt.terms:
            return None
        for n in self.analysis.free_dims:
            c = count.const - self.facts.sizes[n]
            if count_alt.const - self.facts.alt.sizes[n] == c:
                return Affine(((n, 1),), c - 1)
        return None

    def spoil(self, node, frame: dict) -> None:
        """What the walk cannot follow leaves every value it may change unknown."""
        for n in A.walk(node):      # `best = i` under a condition the walk cannot read: argmax
            if isinstance(n, A.Assign) and isinstance(n.target, A.Name):
                self.note_index(n.target.name, n.value)
        for k in _assigned(node):
            frame[k] = None
        for s in _store_sites(node, self.facts.site_array):
            self.elem[self.facts.site_array[s]] = None
            self.stored.add(self.facts.site_array[s])


# ---------------------------------------------------------------- folding a loop


def _fold(after, p: ir.Access, before, sym: str) -> Optional[Expr]:
    """The value after a loop (over `sym`) of a variable that is `before` before it and
    `after` (in terms of its value `p` at the start of an iteration) after one iteration."""
    if after is None:
        return None
    if after == p:
        return before
    if p not in ir.nodes(after):
        return after if sym not in _syms(after) else None
    if before is None:
        return None
    parts = _reduction(after, p)
    if parts is None:
        return None
    op, body = parts
    if p in ir.nodes(body):
        return None
    shift = Affine(((sym, 1),), -1)
    if op != "diff" and _subst(body, {sym: Affine((), -1)}) == before:
        # `m = a[0]; for (i = 1; ...) m = max(m, a[i])`: the first element starts the reduction
        return ir.Reduce(op, (sym,), _subst(body, {sym: shift}))
    red = ir.Reduce(op, (sym,), body)
    if op == "sum":
        if before == ir.Const(0) or before == ir.Const(0.0):
            return red
        return ir.BinOp("+", before, red)
    if op == "diff":
        return ir.BinOp("-", before, ir.Reduce("sum", (sym,), body))
    if op == "prod":
        return red if before in (ir.Const(1), ir.Const(1.0)) else ir.BinOp("*", before, red)
    # max, min: an initial value that is one of the elements (x[0]) or beyond every element
    if (isinstance(before, ir.Access) and before.name in {a.name for a in ir.accesses(body)}) or \
            (isinstance(before, ir.Const) and abs(before.value) >= 1e30):
        return red
    return ir.Call(op, (before, red))


def _reduction(e: Expr, p) -> Optional[tuple[str, Expr]]:
    if isinstance(e, ir.BinOp) and e.op in ("+", "-"):
        terms = _signed_terms(e)
        mine = [k for k, (_, t) in enumerate(terms) if t == p]
        if len(mine) == 1 and terms[mine[0]][0] > 0 and len(terms) > 1:
            # `s += a; s -= b` in one iteration: s + a - b sums a - b
            rest = [st for k, st in enumerate(terms) if k != mine[0]]
            if len(rest) == 1 and rest[0][0] < 0:
                return "diff", rest[0][1]
            body = rest[0][1] if rest[0][0] > 0 else ir.Neg(rest[0][1])
            for sign, t in rest[1:]:
                body = ir.BinOp("+" if sign > 0 else "-", body, t)
            return "sum", body
    if isinstance(e, ir.BinOp):
        if e.op == "*" and e.left == p:
            return "prod", e.right
        if e.op == "*" and e.right == p:
            return "prod", e.left
    if isinstance(e, ir.Call) and e.func in ("max", "min") and p in e.args:
        other = e.args[1] if e.args[0] == p else e.args[0]
        return e.func, other
    if isinstance(e, ir.Call) and e.func == "where":   # (a max or min select is `max`/`min` already: _select)
        cond, a, b = e.args
        if b == p and isinstance(a, ir.BinOp) and a.op == "+" and p in (a.left, a.right) and p not in ir.nodes(cond):
            term = a.right if a.left == p else a.left     # a conditional sum: `if (c) s += e`
            return "sum", ir.Call("where", (cond, term, ir.Const(0)))
    return None


# ---------------------------------------------------------------- helpers


def _every_lane(e, shape):
    """`where(§d == 1, b, where(§d == 0, a, old))` as `where(§d == 1, b, a)` when the
    components stored are every one of the dimension (of constant extent): `old` is never
    what the element holds."""
    def lane_test(x):       # `§d == c`
        return isinstance(x, ir.BinOp) and x.op == "==" and isinstance(x.left, ir.Access) and not x.left.indices \
            and x.left.name[:1] == "§" and x.left.name[1:].isdigit() and isinstance(x.right, ir.Const)
    chain, rest, dim = [], e, None
    while isinstance(rest, ir.Call) and rest.func == "where" and lane_test(rest.args[0]) \
            and rest.args[0].left.name == (dim or rest.args[0].left.name):
        dim = rest.args[0].left.name
        chain.append(rest)
        rest = rest.args[2]
    if not chain:
        return e
    d = int(dim[1:])
    extent = shape[d] if d < len(shape) and isinstance(shape[d], Affine) and not shape[d].terms else None
    if extent is None or sorted(w.args[0].right.value for w in chain) != list(range(extent.const)):
        return e
    out = chain[-1].args[1]
    for w in reversed(chain[:-1]):
        out = ir.Call("where", (w.args[0], w.args[1], out))
    return out


def _signed_terms(e) -> list[tuple[int, Expr]]:
    """The terms of a chain of `+` and `-`, each with its sign."""
    if isinstance(e, ir.BinOp) and e.op in ("+", "-"):
        right = _signed_terms(e.right)
        return _signed_terms(e.left) + (right if e.op == "+" else [(-s, t) for s, t in right])
    return [(1, e)]


def _select(cond, a, b):
    """`where(cond, a, b)`; `min`/`max` when it picks the smaller or larger of what it compares."""
    if a == b:
        return a
    if a is None or b is None:
        return None
    if isinstance(cond, ir.BinOp) and cond.op in ("<", "<=", ">", ">=") and {a, b} == {cond.left, cond.right}:
        larger = (cond.op in (">", ">=")) == (a == cond.left)
        return ir.Call("max" if larger else "min", (cond.left, cond.right))
    return ir.Call("where", (cond, a, b))


def _binop(op: str, a, b):
    return None if a is None or b is None else ir.BinOp(op, a, b)


def _syms(e) -> set[str]:
    """Loop symbols used outside a reduction that binds them."""
    out: set[str] = set()

    def walk(x, bound):
        if isinstance(x, ir.Access):
            out.update(n for i in x.indices if isinstance(i, Affine) for n in i.names
                       if n.startswith("@") and n not in bound)
            return
        if isinstance(x, ir.Reduce):
            bound = bound | set(x.vars)
        for c in ir.children(x):
            walk(c, bound)
    walk(e, frozenset())
    return out


def _subst(e, env: dict[str, Affine]):
    """Index names replaced in every access (loop symbols <-> output dimensions)."""
    return ir.transform(e, lambda x: ir.Access(x.name, tuple(
        i.substitute(env) if isinstance(i, Affine) else i for i in x.indices)) if isinstance(x, ir.Access) else None)


def _assigned(node) -> set[str]:
    """Locals a statement may assign (not those it declares inside itself)."""
    declared = {n.name for n in A.walk(node) if isinstance(n, A.Decl)}
    names = set()
    for n in A.walk(node):
        if isinstance(n, A.Assign) and isinstance(n.target, A.Name):
            names.add(n.target.name)
        if isinstance(n, A.Unary) and n.op in ("++", "--", "p++", "p--") and isinstance(n.operand, A.Name):
            names.add(n.operand.name)
    return names - declared


def _counters(loop: A.Loop) -> set[str]:
    """Locals that count a loop's iterations: tested by its condition and stepped by one in
    its body or step (`while (blkCnt > 0U) { ...; blkCnt--; }`)."""
    tested = {n.name for n in A.walk(loop.cond) if isinstance(n, A.Name)} if loop.cond is not None else set()
    stepped = {n.operand.name for n in A.walk(loop.body) if isinstance(n, A.Unary)
               and n.op in ("++", "--", "p++", "p--") and isinstance(n.operand, A.Name)} | \
        {n.operand.name for n in A.walk(loop.step) if isinstance(n, A.Unary) and isinstance(n.operand, A.Name)}
    return tested & stepped


def _store_sites(node, site_array) -> list[int]:
    out = []
    for n in A.walk(node):
        if isinstance(n, A.Assign) and id(n.target) in site_array:
            out.append(id(n.target))
        elif isinstance(n, A.Method) and n.method in ("push_back", "emplace_back") and id(n) in site_array:
            out.append(id(n))
    return out


def _writes(e, site_array) -> bool:
    return bool(_store_sites(e, site_array)) or any(isinstance(n, A.Assign) for n in A.walk(e))


def loop_steps(entries) -> tuple[tuple, list, Optional[list[int]]]:
    """The loops most of a site's trace entries run in, those entries, and the step of each
    loop in the flat offset (None when the offsets are not affine in the loop counters)."""
    loops = Counter(e[4] for e in entries).most_common(1)[0][0]
    pts = [e for e in entries if e[4] == loops]
    return loops, pts, fit_site([e[1] for e in pts], [e[2] for e in pts]) if loops else []


def _raw_fit(facts: TraceFacts, sid: int) -> Optional[tuple[tuple, list[int], int]]:
    """A site's loops, the step of each in its flat offset, and the constant."""
    entries = facts.site_trace.get(sid, [])
    if not entries:
        return None
    loops, pts, steps = loop_steps(entries)
    if steps is None or (not loops and len({e[1] for e in pts}) != 1):
        return None
    return loops, steps, pts[0][1] - sum(s * c for s, c in zip(steps, pts[0][2]))


def _split(value: int, strides, value_alt, strides_alt) -> Optional[list[int]]:
    """Coefficients per dimension, small and few, whose sum with the strides is the value
    (in the second run too, when given); with no second run, the share of each
    dimension nearest zero."""
    if not strides:
        return [] if value == 0 and not value_alt else None
    if value_alt is None:
        out = []
        for st in strides:
            q = round(value / st) if st else 0
            out.append(q)
            value -= q * st
        return out if value == 0 else None
    ranges = [range(-3, 4)] * len(strides) if len(strides) <= 4 else None
    if ranges is None:
        return None
    best = None
    for a in itertools.product(*ranges):
        if sum(x * st for x, st in zip(a, strides)) == value and \
                sum(x * st for x, st in zip(a, strides_alt)) == value_alt:
            key = (sum(1 for x in a if x), sum(map(abs, a)))
            if best is None or key < best[0]:
                best = (key, list(a))
    return best[1] if best else None


def _inside(facts: TraceFacts, loops: tuple) -> list:
    """Every trace entry of an access inside the given loops."""
    n = len(loops)
    return [e for entries in facts.site_trace.values() for e in entries if e[4][:n] == loops]


def _trip_count(entries, k: int, loops: tuple, sym) -> Optional[Affine]:
    """How many times loop k runs, affine in the iteration numbers of the loops around it."""
    runs: dict[tuple, int] = {}
    for e in entries:
        if e[4][:k + 1] == loops[:k + 1]:
            outer = tuple(e[2][:k])
            runs[outer] = max(runs.get(outer, 0), e[2][k] + 1)
    names = [sym(lp) for lp in loops[:k]]
    points = [dict(zip(names, o)) for o in runs]
    return fit(names, points, list(runs.values())) if runs else None


def _index_in(e, names: set[str]) -> bool:
    """Whether an expression uses one of `names` as a value (subscripts do not count)."""
    if isinstance(e, A.Name):
        return e.name in names
    if isinstance(e, A.Index):
        return _index_in(e.base, names)
    if isinstance(e, A.Method) or (isinstance(e, A.Binary) and e.op in ("<", ">", "<=", ">=", "==", "!=")):
        return False        # a size, or a condition on indices (a domain's business)
    if isinstance(e, A.Cond):
        return _index_in(e.then, names) or _index_in(e.other, names)
    return any(_index_in(c, names) for c in A.children(e))


def _element(e) -> bool:
    """An element access (`a[i]`, `*p`), which has a site whether or not it ran."""
    return isinstance(e, A.Index) or (isinstance(e, A.Unary) and e.op == "*")


def _root(node) -> Optional[str]:
    """The variable an lvalue is based on (`out` of `out[i*n+j]` or `*(out + i)`)."""
    while not isinstance(node, A.Name):
        kids = A.children(node)
        if not kids:
            return None
        node = kids[0]
    return node.name


# ---------------------------------------------------------------- statements out


def translate(analysis: Analysis, facts: TraceFacts) -> tuple[dict[str, list[ir.Statement]], list[str]]:
    """Candidate statements per output (with the sums that TACO's rule places where the C
    does left implicit, then with every reduction explicit), and what the walk saw that
    no program in the notation computes (an index used as a value, a recurrence)."""
    walk = _Walk(analysis, facts)
    try:
        walk.stmt(analysis.kernel.function.body, {})
    except RecursionError:
        return {}, []
    sig = analysis.signature
    taken = {p.name for p in sig.params} | {sig.function} | set(analysis.dims)
    scalars = {p.name for p in sig.params if p.kind == "scalar"}
    out: dict[str, list[ir.Statement]] = {}
    for name in sig.outputs:
        value = walk.elem.get(name)
        if value is None or name not in walk.stored or _syms(value) or _size(value) > _MAX_NODES:
            continue
        if any(isinstance(x, ir.Access) and x.name.startswith("§") and not x.name[1:].isdigit()
               for x in ir.nodes(value)):
            continue
        order = len(analysis.layouts[name].shape) if name in analysis.layouts else 0
        value = _every_lane(value, analysis.layouts[name].shape if name in analysis.layouts else ())
        domain = walk.domain.get(name)
        if domain is not None and ("?" in domain or any(n.startswith("@") for c in domain for n in c.names)):
            continue        # a part of the output that is not a condition on its indices
        try:
            st = parse_statement(_text(name, order, value, analysis, taken, domain))
        except TensorliftError:
            continue
        simple = _implicit_sums(st, scalars)
        out[name] = [simple, st] if simple != st else [st]
    limits = list(walk.limits)
    for name, line in facts.recurrent.items():
        if name not in out:
            limits.append(f"'{name}' reads at line {line} elements that earlier iterations of the same loops "
                          "computed (a recurrence, such as a scan or an in-place factorisation)")
    return out, list(dict.fromkeys(limits))


def _implicit_sums(st: ir.Statement, scalars) -> ir.Statement:
    """Explicit sums dropped, one at a time, where TACO's rule sums their variables at the
    same place (and moves no sum dropped before)."""
    implicit = 0            # variables summed implicitly so far
    while True:
        for node in ir.nodes(st.rhs):
            if not (isinstance(node, ir.Reduce) and node.op == "sum"):
                continue
            rhs = ir.transform(st.rhs, lambda x, node=node: node.body if x is node else None)
            homes = reduction_homes(rhs, st.lhs.indices, size_names(rhs, st.lhs.indices, scalars))
            inside = {id(x) for x in ir.nodes(node.body)}
            here = tuple(homes.get(id(node.body), ()))
            # a sum over a product may sit at any factor that holds its uses: it is the same sum
            moved = _product(node.body) and sorted(v for k, vs in homes.items() if k in inside for v in vs) \
                == sorted(node.vars)
            if (here == node.vars or moved) and sum(map(len, homes.values())) == implicit + len(node.vars):
                st = ir.Statement(st.lhs, rhs, st.accumulate, st.domain)
                implicit += len(node.vars)
                break
        else:
            return st


def _product(e) -> bool:
    return isinstance(e, ir.Access) or isinstance(e, ir.Const) or \
        (isinstance(e, ir.BinOp) and e.op == "*" and _product(e.left) and _product(e.right))


def _size(e) -> int:
    return sum(1 for _ in ir.nodes(e))


_LETTERS = "ijklmnpqrstuvwxyzabcdefgh"


def _text(name: str, order: int, value: Expr, analysis: Analysis, taken: set[str], domain=None) -> str:
    """The statement in index notation, every reduction explicit: output dimensions named
    i, j, ... and reduction loops the next free letters."""
    letters = [c for c in _LETTERS if c not in taken]
    dims = {_dim(d): letters[d] for d in range(order)}
    rest = iter(letters[order:])
    syms: dict[str, str] = {}

    def letter(sym: str) -> str:
        if sym not in syms:
            syms[sym] = next(rest)
        return syms[sym]

    def rename(index) -> str:
        if not isinstance(index, Affine):
            return str(index)
        env = {n: Affine(((dims[n] if n in dims else letter(n), 1),)) for n in index.names
               if n in dims or n.startswith("@")}
        named = index.substitute(env)
        return str(Affine(tuple(sorted(named.terms, key=lambda t: t[1] < 0)), named.const)).replace(" ", "")

    def show(e) -> str:
        if isinstance(e, ir.Access):
            if not e.indices and e.name in dims:       # an output index as a number
                return dims[e.name]
            return e.name if not e.indices else f"{e.name}({','.join(rename(i) for i in e.indices)})"
        if isinstance(e, ir.Const):
            v = e.value
            return f"({v!r})" if v < 0 else repr(v) if isinstance(v, float) else str(v)
        if isinstance(e, ir.Neg):
            return f"-({show(e.operand)})"
        if isinstance(e, ir.Not):
            return f"!({show(e.operand)})"
        if isinstance(e, ir.BinOp):
            return f"({show(e.left)} {e.op} {show(e.right)})"
        if isinstance(e, ir.Call):
            return f"{e.func}({', '.join(show(a) for a in e.args)})"
        body, vars_ = e.body, list(e.vars)
        while isinstance(body, ir.Reduce) and body.op == e.op:     # sum(k, sum(j, e)) = sum(k, j, e)
            vars_ += body.vars
            body = body.body
        names = [letter(v) for v in vars_]
        return f"{e.op}({', '.join(names)}, {show(body)})"

    lhs = name if order == 0 else f"{name}({','.join(letters[:order])})"
    rhs, acc = value, False
    param = next((p for p in analysis.signature.params if p.name == name), None)
    if param is not None and param.access == "readwrite" and isinstance(value, ir.BinOp) and value.op == "+":
        own = ir.Access(name, tuple(Affine(((_dim(d), 1),)) for d in range(order)))
        if value.left == own:
            rhs, acc = value.right, True
        elif value.right == own:
            rhs, acc = value.left, True
    text = f"{lhs} {'+=' if acc else '='} {show(rhs)}"
    if domain:
        text += " for " + " && ".join(_condition(c, rename) for c in domain)
    return text


def _condition(c: Affine, rename) -> str:
    """`c >= 0` with the output's indices on the left: `j >= i`, `i <= n-2`."""
    pos = Affine(tuple(t for t in c.terms if t[1] > 0))
    neg = Affine(tuple((n, -k) for n, k in c.terms if k < 0))
    has_dim = lambda a: any(n.startswith("§") for n in a.names)  # noqa: E731
    if has_dim(neg) and not has_dim(pos):
        return f"{rename(neg)} <= {rename(Affine(pos.terms, c.const))}"
    return f"{rename(pos)} >= {rename(Affine(neg.terms, -c.const))}"
