"""The C function run on solver terms for every size at once: the inductive half of a proof.

Sizes are symbols, so a loop cannot be unrolled: each loop is replaced by its closed form.
One iteration is run on a generic state (iteration k, counters and pointers as affine
functions of k, accumulators and the arrays the loop writes as fresh symbols), and what it
does is put in closed form over all k < K:

- a counter or a pointer that moves by the same amount every iteration is `v0 + d*k`, and the
  trip count K is solved from the loop condition (linear in k);
- an accumulator updated by `s + g(k)`, `s * g(k)`, `max(s, g(k))` or `min(s, g(k))` is a
  reduction of g over [0, K) (`Folds`);
- an array whose every element is written in at most one iteration, from what earlier
  iterations did not write, is the value that iteration writes; an element updated by `+`
  every iteration is a sum.

Each closed form is the loop's inductive invariant, exact by construction: the step checks
that justify it (no element written twice, no read of what an earlier iteration wrote, the
update really is `s + g`) are queries to z3 about one generic iteration. Anything else is
`Unprovable`, and the caller proves up to a bound instead.

Arrays are held in index space (their layout's dimensions), not as flat offsets, so that
"row i is written in iteration i" is linear for the solver: every offset the C computes is
split along the layout's strides, and each part is proved to lie inside its dimension.
"""
from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Any, Optional

import z3

from .. import carith
from ..c import ast as A
from ..c.interp import _EVAL, Interpreter, Ptr, Var, Vec, _Break, _Continue, _Return, _Signal, size_of
from ..errors import UnsupportedConstruct
from . import symbolic as S
from .folds import Folds, extremum, flatten_extremum
from .poly import Poly


class Unprovable(Exception):
    """What the inductive prover does not follow (the caller proves up to a bound instead)."""


# ---------------------------------------------------------------- what holds where execution is

class Facts:
    """The path condition: sizes positive, the iteration ranges of the loops around, the
    branches taken. Decides index conditions with z3, incrementally."""

    def __init__(self, base: list, timeout_ms: int = 2000):
        self.solver = z3.Solver()
        self.solver.set("timeout", timeout_ms)
        self.solver.add(*base)
        self.base = list(base)
        self.stack: list[list] = []
        self._cache: dict = {}

    def push(self, *facts) -> None:
        self.solver.push()
        self.stack.append(list(facts))
        self.solver.add(*facts)
        self._cache = {}

    def pop(self) -> None:
        self.solver.pop()
        self.stack.pop()
        self._cache = {}

    @property
    def all(self) -> list:
        return self.base + [f for fs in self.stack for f in fs]

    def holds(self, c) -> bool:
        c = z3.simplify(_bool(c))
        if z3.is_true(c):
            return True
        if z3.is_false(c):
            return False
        key = c.get_id()          # the term is kept with its answer, so its id is not reused
        hit = self._cache.get(key)
        if hit is None or not hit[0].eq(c):
            self.solver.push()
            self.solver.add(z3.Not(c))
            hit = self._cache[key] = (c, self.solver.check() == z3.unsat)
            self.solver.pop()
        return hit[1]

    def decide(self, c) -> Optional[bool]:
        if self.holds(c):
            return True
        if self.holds(z3.Not(_bool(c))):
            return False
        return None

    def unsat(self, *extra) -> bool:
        """Whether the facts and `extra` have no model (a side condition of a closed form)."""
        self.solver.push()
        self.solver.add(*extra)
        r = self.solver.check()
        self.solver.pop()
        return r == z3.unsat


def _bool(c):
    if isinstance(c, (bool, int)):
        return z3.BoolVal(bool(c))
    return c if z3.is_bool(c) else c != 0


# ---------------------------------------------------------------- array contents

@dataclass(eq=False)
class Init:
    """Contents nobody wrote yet: the input's elements, or a loop's generic state."""
    fn: z3.FuncDeclRef


@dataclass(eq=False)
class Put:
    prev: Any
    idx: tuple
    value: Any


@dataclass(eq=False)
class Choice:
    """`if (cond)` on a condition the facts do not decide: each branch wrote on top of `base`."""
    cond: Any
    then: Any
    other: Any
    base: Any


@dataclass(eq=False)
class Closed:
    """A loop's closed form: element `vars` is the value of the first case whose condition
    holds, else what it was in `prev`."""
    prev: Any
    vars: tuple
    cases: list


def cases_of(state, e: tuple, stop=None) -> tuple[list, Any]:
    """The writes above `stop` (default: the initial contents) as (condition on e, value),
    the latest first, and the state below them."""
    out: list = []
    while state is not stop and not isinstance(state, Init):
        if isinstance(state, _Unset):
            if state.started is None:
                raise Unprovable("memory read before anything is known of its type")
            state = state.started
            continue
        if isinstance(state, Put):
            out.append((_equal(e, state.idx), state.value))
            state = state.prev
        elif isinstance(state, Closed):
            pairs = list(zip(state.vars, e))
            out.extend((_subst(c, pairs), _subst(v, pairs)) for c, v in state.cases)
            state = state.prev
        else:
            then, _ = cases_of(state.then, e, state.base)
            other, _ = cases_of(state.other, e, state.base)
            out.extend((z3.And(state.cond, c), v) for c, v in then)
            out.extend((z3.And(z3.Not(state.cond), c), v) for c, v in other)
            state = state.base
    return out, state


def _subst(t, pairs):
    return z3.substitute(t, *pairs) if pairs and S.is_term(t) else t


def cell(state, idx: tuple, facts: Optional[Facts] = None):
    """The element `idx` of an array's contents."""
    cases, base = cases_of(state, idx)
    if not isinstance(base, Init):
        raise Unprovable("an array's contents have no start")
    out = base.fn(*idx)
    for c, v in reversed(cases):
        c = z3.simplify(c)
        if facts is not None and not z3.is_true(c) and not z3.is_false(c) and _index_only(c):
            c = z3.BoolVal(True) if facts.holds(c) else z3.BoolVal(False) if facts.holds(z3.Not(c)) else c
        if z3.is_false(c):
            continue
        out = v if z3.is_true(c) else z3.If(c, v, out) if not _same_term(v, out) else out
    return out


def _index_only(c) -> bool:
    """Whether a condition speaks of integers alone (sizes, counters, indices), which the facts
    may decide, not of array contents."""
    todo, seen = [c], set()
    while todo:
        x = todo.pop()
        if x.get_id() in seen:
            continue
        seen.add(x.get_id())
        if x.sort() == z3.RealSort() or (z3.is_app(x) and x.num_args() and x.decl().kind() == z3.Z3_OP_UNINTERPRETED):
            return False
        todo.extend(x.children())
    return True


def _same_term(a, b) -> bool:
    return S.is_term(a) and S.is_term(b) and a.eq(b)


def _equal(e: tuple, idx: tuple):
    parts = []
    for x, y in zip(e, idx):
        d = (Poly.of(x) - Poly.of(y)).constant
        if d is not None:
            if d != 0:
                return z3.BoolVal(False)
            continue
        parts.append(x == y)
    return z3.And(*parts) if parts else z3.BoolVal(True)


@dataclass(eq=False)
class _Unset:
    """A malloc'd buffer before its first typed access: its element type is not known yet."""
    name: str
    zero: bool
    started: Any = None

    def start(self, dtype: str):
        if self.started is None:
            self.started = self._begin(dtype)
        return self.started

    def _begin(self, dtype: str):
        sort = z3.RealSort() if carith.is_float(dtype) else z3.IntSort()
        state = Init(z3.Function(self.name, z3.IntSort(), sort))
        if self.zero:
            e = z3.Int(self.name + "!e")
            state = Closed(state, (e,), [(z3.BoolVal(True), z3.RealVal(0) if carith.is_float(dtype) else z3.IntVal(0))])
        return state


@dataclass(eq=False)
class SymBuf:
    """An array held in index space: an offset is split along `strides` (Polys, outermost
    first) and each index must lie inside `shape`. `elem_bytes`: for a malloc'd buffer, whose
    extent in elements is known only once a typed pointer reaches it."""
    name: str
    state: Any
    shape: list                         # Polys
    strides: list                       # Polys
    writable: bool
    nbytes: Optional[Poly] = None       # a malloc'd buffer's size in bytes
    vec: Any = None                     # a local C++ vector: its extent is the vector's size

    @property
    def ndim(self) -> int:
        return len(self.shape)

    def index(self, ex: "SymExec", off, target: A.Type) -> tuple:
        if isinstance(self.state, _Unset) and isinstance(target, A.Scalar):
            self.state = self.state.start(target.dtype)
        shape = self.shape
        if self.nbytes is not None:
            per = size_of(target) if isinstance(target, A.Scalar) else 8
            q = self.nbytes.divmod(Poly.const(per)) if per else None
            if q is None or q[1].constant != 0:
                raise Unprovable(f"a scratch buffer of {self.nbytes} bytes read as elements of {per}")
            shape = [q[0]]
        if self.vec is not None:
            shape = [Poly.of(S.lift(self.vec.size, False))]
            if self.vec.nested:
                if self.vec.rows.inner is None:
                    raise Unprovable(f"a row of '{self.name}' read before any is there")
                shape.append(Poly.of(S.lift(self.vec.rows.inner, False)))
        rest = Poly.of(off)
        if not self.strides:                 # one element (`*result = s`)
            if ex.checking and not ex.facts.holds(S.lift(off, False) == 0):
                raise Unprovable(f"'{self.name}' may be accessed outside its one element")
            return ()
        parts = []
        for d, stride in enumerate(self.strides):
            if d == len(self.strides) - 1:
                q = rest
                if stride.constant != 1:
                    qr = rest.divmod(stride)
                    if qr is None or qr[1].terms:
                        raise Unprovable(f"offset {off} of '{self.name}' is not a multiple of its step")
                    q = qr[0]
                parts.append(q)
                break
            qr = rest.divmod(stride)
            if qr is None:
                raise Unprovable(f"the stride {stride} of '{self.name}' is zero")
            parts.append(qr[0])
            rest = qr[1]
        idx = tuple(_term(p) for p in _borrow(parts, self.strides, shape, ex))
        if ex.checking:
            for d, (i, n) in enumerate(zip(idx, shape)):
                if not ex.facts.holds(z3.And(i >= 0, i < n.term())):
                    raise Unprovable(f"'{self.name}' may be accessed outside its region (index {d} is {i}, "
                                     f"extent {n})")
        return idx


def _borrow(parts: list, strides: list, shape: list, ex) -> list:
    """Indices whose inner parts are negative (`(i+1)*n - 1 - j`) borrow one from the next
    outer index, as long as that puts them in range."""
    parts = list(parts)
    for d in range(len(parts) - 1, 0, -1):
        if not ex.checking or ex.facts.holds(parts[d].term() >= 0):
            continue
        ratio = strides[d - 1].divmod(strides[d])
        if ratio is None or ratio[1].terms:
            continue
        moved = parts[d] + ratio[0]
        if ex.facts.holds(z3.And(moved.term() >= 0, moved.term() < shape[d].term())):
            parts[d], parts[d - 1] = moved, parts[d - 1] - Poly.const(1)
    return parts


def _term(p: Poly):
    t = p.term()
    return z3.simplify(t) if not z3.is_const(t) else t


class RowsBuf:
    """The row pointers of a `T **` array: row i starts at i*R in the data's index space."""

    def __init__(self, data: SymBuf, pitch, elem: A.Type):
        self.data, self.pitch, self.elem = data, pitch, elem


# ---------------------------------------------------------------- arithmetic

class SymOps(S.SymbolicOps):
    """C arithmetic on terms where integers may be index terms (sizes, counters): shifts and
    masks by constants are division and remainder on nonnegative values, and an unsigned
    result that the facts keep in range does not wrap."""

    def __init__(self, types: dict, facts: Facts, fn_types: dict):
        super().__init__(types)
        self.facts = facts
        self.fn_types = fn_types

    def arith(self, op, a, b, dtype, line):
        if not (S.is_term(a) or S.is_term(b)):
            return super().arith(op, a, b, dtype, line)
        if carith.is_int(dtype) and not (S.is_real(a) or S.is_real(b)):
            v = self._index(op, a, b, line)
            if v is None and op in ("+", "-", "*"):
                v = S.arith(op, a, b)
            if v is not None:
                return self.fit(v, dtype)
        return super().arith(op, a, b, dtype, line)

    def _index(self, op, a, b, line):
        if op in ("<<", ">>", "&") and not isinstance(b, int):
            raise Unprovable(f"'{op}' by a symbolic amount at line {line}")
        if op == "<<":
            return a * (1 << b)
        if op in (">>", "/", "%", "&"):
            if op == "&" and (b <= 0 or b & (b + 1)):
                raise Unprovable(f"'&' with {b} at line {line}")
            d = 1 << b if op == ">>" else b + 1 if op == "&" else b
            if isinstance(d, int) and d > 0 and self.facts.holds(S.lift(a, False) >= 0):
                a = S.lift(a, False)
                return a / d if op in (">>", "/") else a % d
            if op in (">>", "&"):
                raise Unprovable(f"'{op}' on a value that may be negative at line {line}")
        return None

    def fit(self, v, dtype):
        """An integer term in `dtype`: unchanged when the facts keep it in the type's range."""
        if not carith.is_int(dtype) or dtype == "bool":
            return S.wrap(v, dtype) if carith.is_int(dtype) else v
        lo, hi = carith.bounds(dtype)
        bits, signed = carith.INT_TYPES[dtype]
        if signed and bits >= 32:
            return v
        if self.facts.holds(z3.And(v >= lo, v <= hi)):
            return v
        return S.wrap(v, dtype)

    def neg(self, a, dtype):
        if not S.is_term(a):
            return super().neg(a, dtype)
        v = -S.lift(a, S.is_real(a))
        return self.fit(v, dtype) if carith.is_int(dtype) else v

    def convert(self, v, dtype):
        if S.is_term(v) and z3.is_app(v) and v.decl().get_id() in self.fn_types and carith.is_int(dtype):
            held = self.fn_types[v.decl().get_id()]
            if carith.is_int(held):
                lo, hi = carith.bounds(held)
                tlo, thi = carith.bounds(dtype)
                if tlo <= lo and hi <= thi:
                    return v
        if S.is_term(v) and not z3.is_bool(v) and v.sort() == z3.IntSort() and carith.is_int(dtype):
            return self.fit(v, dtype)
        return super().convert(v, dtype)

    def truth(self, v) -> bool:
        if not S.is_term(v):
            return v != 0
        d = self.facts.decide(v)
        if d is None:
            raise Unprovable("control flow the facts do not decide")
        return d

    def decided(self, v) -> bool:
        return not S.is_term(v) or self.facts.decide(v) is not None


# ---------------------------------------------------------------- the executor

@dataclass
class _Iteration:
    """What one generic iteration of a loop did."""
    values: dict = field(default_factory=dict)     # carried Var -> value after the iteration
    states: dict = field(default_factory=dict)     # SymBuf -> contents after the iteration
    written: set = field(default_factory=set)      # SymBufs stored into


class SymExec(Interpreter):
    """The interpreter with symbolic sizes: loops are summarized, branches on undecided
    conditions are merged, memory is `SymBuf`s."""

    def __init__(self, kernel: A.Kernel, facts: Facts, folds: Folds, types: dict, fn_types: dict):
        super().__init__(kernel, SymOps(types, facts, fn_types), max_steps=100_000)
        self.facts = facts
        self.folds = folds
        self.types = types
        self.fn_types = fn_types
        self.buffers: list[SymBuf] = []
        self.written: Optional[set] = None
        self.alive: list = []              # symbols registered in `types`
        self.checking = True               # range checks on (off while trying an iteration)
        self._fresh = itertools.count()

    def eval(self, node):
        m = self._EVAL.get(type(node))
        if m is None:
            raise Unprovable(f"{type(node).__name__.lower()} at line {node.line}")
        return m(self, node)

    def read(self, state, idx: tuple, ctx: tuple = ()):
        """An element of some contents, where the facts and `ctx` hold."""
        return self._under(z3.And(*ctx), lambda: cell(state, idx, self.facts)) if ctx else cell(state, idx, self.facts)

    def fresh(self, name: str) -> str:
        return f"{name}!{next(self._fresh)}"

    # -- values ----------------------------------------------------------
    def int_value(self, v, node):
        if isinstance(v, int) or (S.is_term(v) and not z3.is_bool(v) and v.sort() == z3.IntSort()):
            return v
        raise Unprovable(f"a pointer offset that is not an integer at line {node.line}")

    def dims(self, t: A.Type) -> tuple:
        out = []
        while isinstance(t, A.Array):
            if t.size is None:
                raise Unprovable("array of unknown size")
            out.append(self.int_value(self.eval(t.size), t.size))
            t = t.elem
        return tuple(out)

    def ptr_arith(self, op, a, b, node):
        if isinstance(a, Ptr) and isinstance(b, Ptr) and op == "-":
            if a.buf is not b.buf:
                raise Unprovable("arithmetic between unrelated pointers")
            d = a.off - b.off
            return d if a.step == 1 else d / a.step
        if isinstance(a, Ptr) and isinstance(b, Ptr) and op in ("==", "!="):
            if a.buf is not b.buf:
                return int(op == "!=")
            return self.ops.compare(op, a.off, b.off)
        return super().ptr_arith(op, a, b, node)

    # -- memory ----------------------------------------------------------
    def deref(self, p, node):
        if not isinstance(p, Ptr):
            raise Unprovable(f"dereference of something that is not a pointer at line {node.line}")
        if isinstance(p.target, A.Array):
            return Ptr(p.buf, p.off, p.target.elem, p.dims[1:])
        if isinstance(p.buf, RowsBuf):
            rows = p.buf
            idx = Poly.of(p.off)
            return Ptr(rows.data, (idx * Poly.of(rows.pitch)).term(), rows.elem)
        if not isinstance(p.buf, SymBuf):
            if p.buf is not None and isinstance(p.off, int) and p.off in p.buf.data:
                return p.buf.data[p.off]       # a struct's size field (`a->dimensions[0]`)
            raise Unprovable(f"memory the prover does not model at line {node.line}")
        if not isinstance(p.target, A.Scalar):
            raise Unprovable(f"a load of a pointer or struct from memory at line {node.line}")
        idx = p.buf.index(self, p.off, p.target)
        return self.convert(cell(p.buf.state, idx, self.facts), p.target)

    def store(self, p: Ptr, value, node):
        if not isinstance(p, Ptr) or not isinstance(p.buf, SymBuf):
            raise Unprovable(f"a store the prover does not model at line {node.line}")
        if not isinstance(p.target, A.Scalar):
            raise Unprovable(f"assignment of an aggregate at line {node.line}")
        if not p.buf.writable:
            raise Unprovable(f"the C may store into '{p.buf.name}', which no example saw written (line {node.line})")
        value = self.convert(value, p.target)
        idx = p.buf.index(self, p.off, p.target)
        p.buf.state = Put(p.buf.state, idx, S.lift(value, S.is_real(value)) if not isinstance(value, Ptr) else value)
        if self.written is not None:
            self.written.add(p.buf)
        return value

    def new_buffer(self, name: str, shape: list, dtype: str, state=None, nbytes=None) -> SymBuf:
        sort = z3.RealSort() if carith.is_float(dtype) else z3.IntSort()
        if state is None:
            fn = z3.Function(self.fresh(name), *([z3.IntSort()] * max(1, len(shape))), sort)
            state = Init(fn)
        buf = SymBuf(name, state, shape, [Poly.const(1)] * len(shape), True, nbytes)
        self.buffers.append(buf)
        return buf

    def declare(self, node: A.Decl):
        t = node.type
        if not isinstance(t, A.Array):
            return super().declare(node)
        dims = self.dims(t)
        n = Poly.const(1)
        for d in dims:
            n = n * Poly.of(d)
        elem = A.element(t)
        if not isinstance(elem, A.Scalar):
            raise Unprovable(f"local array of aggregates at line {node.line}")
        buf = self.new_buffer(node.name, [n], elem.dtype)
        if node.init is not None:
            flat = _flat_init(node.init)
            e = z3.Int(self.fresh("e"))
            buf.state = Closed(buf.state, (e,), [(z3.BoolVal(True), S.lift(self.convert(0, elem), carith.is_float(elem.dtype)))])
            for i, x in enumerate(flat):
                buf.state = Put(buf.state, (z3.IntVal(i),), S.lift(self.convert(self.eval(x), elem), carith.is_float(elem.dtype)))
        self.scopes[-1][node.name] = Var(Ptr(buf, 0, t.elem, dims[1:]), t, is_array=True)

    def allocate(self, name: str, args: list, node):
        nbytes = Poly.of(args[0]) * Poly.of(args[1]) if name == "calloc" else Poly.of(args[-1])
        buf = self.new_buffer(f"{name}@{node.line}", [nbytes], "double",
                              state=_Unset(self.fresh(f"{name}@{node.line}"), name == "calloc"), nbytes=nbytes)
        return Ptr(buf, 0, A.Scalar("uint8"))

    def memory(self, name: str, args: list, node):
        if len(args) != 3 or not isinstance(args[0], Ptr):
            raise Unprovable(f"call to '{name}' with these arguments at line {node.line}")
        dst, src, nbytes = args
        target = dst.target if isinstance(dst.target, A.Scalar) else \
            src.target if isinstance(src, Ptr) and isinstance(src.target, A.Scalar) else None
        if target is None:
            raise Unprovable(f"'{name}' on memory of unknown element type at line {node.line}")
        if isinstance(nbytes, int):
            return super().memory(name, args, node)
        count = Poly.of(nbytes).divmod(Poly.const(size_of(target)))
        buf = dst.buf
        if count is None or count[1].terms or not isinstance(buf, SymBuf) or buf.ndim != 1 or \
                (name == "memset" and src != 0):
            raise Unprovable(f"'{name}' of a symbolic size on this memory at line {node.line}")
        if not buf.writable:
            raise Unprovable(f"the C may store into '{buf.name}', which no example saw written (line {node.line})")
        n = count[0].term()
        lo = buf.index(self, dst.off, target)[0]
        if self.checking and not self.facts.holds(lo + n <= buf.shape[0].term()):
            raise Unprovable(f"'{name}' may write past the end of '{buf.name}' at line {node.line}")
        e = z3.Int(self.fresh("e"))
        inside = z3.And(e >= lo, e < lo + n)
        if name == "memset":
            value = z3.RealVal(0) if carith.is_float(target.dtype) else z3.IntVal(0)
        else:
            if not isinstance(src, Ptr) or not isinstance(src.buf, SymBuf) or src.buf.ndim != 1:
                raise Unprovable(f"'{name}' from this memory at line {node.line}")
            start = src.buf.index(self, src.off, target)[0]
            value = cell(src.buf.state, (start + (e - lo),), self.facts)
        buf.state = Closed(buf.state, (e,), [(inside, value)])
        if self.written is not None:
            self.written.add(buf)
        return dst

    # -- branches --------------------------------------------------------
    def e_cond(self, node: A.Cond):
        c = self.eval(node.cond)
        if self.ops.decided(c):
            return self.eval(node.then) if self.ops.truth(c) else self.eval(node.other)
        return self._fork(c, lambda: self.eval(node.then), lambda: self.eval(node.other), node)

    def e_binary(self, node: A.Binary):
        if node.op not in ("&&", "||"):
            return super().e_binary(node)
        a = self.eval(node.left)
        right = lambda: self.ops.select(self.eval(node.right), 1, 0)    # noqa: E731
        if self.ops.decided(a):
            if self.ops.truth(a) == (node.op == "||"):
                return int(node.op == "||")
            return right()
        return self._fork(a, right, lambda: 0, node) if node.op == "&&" else self._fork(a, lambda: 1, right, node)

    def _under(self, fact, run):
        self.facts.push(fact)
        try:
            return run()
        finally:
            self.facts.pop()

    def branch(self, node: A.If):
        cond = self.eval(node.cond)
        if self.ops.decided(cond):
            if self.ops.truth(cond):
                self.exec(node.then)
            elif node.other is not None:
                self.exec(node.other)
            return

        def run(stmt):
            def go():
                try:
                    if stmt is not None:
                        self.exec(stmt)
                except _Return as r:
                    return ("returned", r.value)
                except _Signal:
                    raise Unprovable(f"break or continue under a condition at line {node.line}") from None
                return None
            return go
        t, o = self._fork(cond, run(node.then), run(node.other), node, values=False)
        if (t is None) != (o is None):
            raise Unprovable(f"a return on one branch only of a condition at line {node.line}")
        if t is not None:
            raise _Return(None if t[1] is None else self._select(_bool(cond), t[1], o[1], node))

    def _fork(self, cond, then, other, node, values: bool = True):
        """Both sides of a condition the facts do not decide, each under it (or its negation),
        from the same state; variables and memory either side changed become selects."""
        c = _bool(cond)
        before = {b: b.state for b in self.buffers}
        outer = self.journal
        finals = []
        for side, guard in ((then, c), (other, z3.Not(c))):
            self.journal = []
            try:
                result = self._under(guard, side)
            finally:
                changed = {id(e[1]): (e[1], e[1].value) for e in self.journal if e[0] == "var"}
                for entry in reversed(self.journal):
                    if entry[0] == "var":
                        entry[1].value = entry[2]
                states = {b: b.state for b in self.buffers}
                for b in self.buffers:
                    b.state = before.get(b, b.state)
                self.journal = outer
            finals.append((result, changed, states))
        (tr, tv, ts), (orr, ov, os_) = finals
        for key in set(tv) | set(ov):
            var = (tv.get(key) or ov.get(key))[0]
            t = tv[key][1] if key in tv else var.value
            o = ov[key][1] if key in ov else var.value
            if t is None or o is None:
                raise Unprovable(f"a variable set on one side only of a condition at line {node.line}")
            if self.journal is not None:
                self.journal.append(("var", var, var.value))
            var.value = self._select(c, t, o, node)
        for b in self.buffers:
            t, o = ts.get(b, b.state), os_.get(b, b.state)
            if t is not o:
                b.state = Choice(c, t, o, b.state)
        if not values:
            return tr, orr
        return self._select(c, tr, orr, node)

    def _select(self, c, t, o, node):
        if isinstance(t, Ptr) or isinstance(o, Ptr):
            if not (isinstance(t, Ptr) and isinstance(o, Ptr)) or t.buf is not o.buf:
                raise Unprovable(f"a pointer chosen by a condition at line {node.line}")
            if (Poly.of(S.lift(t.off, False)) - Poly.of(S.lift(o.off, False))).constant == 0:
                return t
            return Ptr(t.buf, z3.If(c, S.lift(t.off, False), S.lift(o.off, False)), t.target, t.dims)
        if S.is_term(t) and S.is_term(o) and t.eq(o):
            return t
        return self.ops.select(c, t, o)

    # -- loops -----------------------------------------------------------
    def loop(self, node: A.Loop):
        if node.over is None and node.cond is None:
            raise Unprovable(f"a loop without a condition at line {node.line}")
        self.scopes.append({})
        try:
            if node.over is not None:
                vec = self.eval(node.over)
                if not isinstance(vec, Vec):
                    raise Unprovable(f"a range-for over something that is not a vector at line {node.line}")
                position = Var(0, A.Scalar("int64"))
                self.scopes[-1][f"@{id(node)}"] = position
                _Summary(self, _RangeLoop(self, node, vec, position)).run()
            else:
                if node.init is not None:
                    self.exec(node.init)
                _Summary(self, _ForLoop(self, node)).run()
        finally:
            self.scopes.pop()

    def carried(self, parts) -> list:
        """Variables declared outside the loop that its parts assign, and the sizes of the
        vectors it grows (`push_back`)."""
        out: dict[int, Any] = {}
        for part in parts:
            if part is None:
                continue
            for n in A.walk(part):
                target = n.target if isinstance(n, A.Assign) else \
                    n.operand if isinstance(n, A.Unary) and n.op in ("++", "--", "p++", "p--") else None
                if isinstance(target, A.Name):
                    try:
                        var = self.lookup(target)
                    except UnsupportedConstruct:
                        continue          # declared inside the loop
                    out[id(var)] = var
                if isinstance(n, A.Method) and n.method in _GROWS and isinstance(n.obj, A.Name):
                    try:
                        var = self.lookup(n.obj)
                    except UnsupportedConstruct:
                        continue
                    if isinstance(var.value, Vec):
                        size = _SizeOf(var.value)
                        out[id(var.value)] = size
        return list(out.values())

    # -- C++ vectors -----------------------------------------------------
    def new_vec(self, t: A.Vector, size, node, fill=None) -> Vec:
        size = self.int_value(size, node)
        if isinstance(t.elem, A.Vector):
            return self.new_rows(t, size, node, fill)
        zero = self.convert(fill if fill is not None else 0, t.elem)
        buf = self.new_buffer(f"vector@{node.line}", [Poly.of(S.lift(size, False))], t.elem.dtype)
        e = z3.Int(self.fresh("e"))
        buf.state = Closed(buf.state, (e,), [(z3.BoolVal(True), S.lift(zero, carith.is_float(t.elem.dtype)))])
        vec = Vec(buf, 0, size, t.elem)
        buf.vec = vec
        return vec

    def new_rows(self, t: A.Vector, size, node, fill) -> Vec:
        """`vector<vector<T>> m(n, row)` (n copies of a row) or an empty one that rows are
        pushed onto: held as one array of rows (all of one length)."""
        elem = t.elem.elem
        pitch = z3.Int(self.fresh("pitch"))
        sort = z3.RealSort() if carith.is_float(elem.dtype) else z3.IntSort()
        fn = z3.Function(self.fresh(f"vector@{node.line}"), z3.IntSort(), z3.IntSort(), sort)
        state = Init(fn)
        inner = None
        if fill is not None:
            if not isinstance(fill, Vec) or fill.nested or not isinstance(fill.buf, SymBuf):
                raise Unprovable(f"a vector of vectors not made of copies of one row at line {node.line}")
            e = (z3.Int(self.fresh("e")), z3.Int(self.fresh("e")))
            row = cell(fill.buf.state, (S.lift(fill.base, False) + e[1],), self.facts)
            state, inner = Closed(state, e, [(z3.BoolVal(True), row)]), fill.size
        elif not self.facts.holds(S.lift(size, False) == 0):
            raise Unprovable(f"a vector of empty rows at line {node.line}")
        buf = SymBuf(f"vector@{node.line}", state, [], [Poly.of(pitch), Poly.const(1)], True)
        vec = Vec(buf, 0, size, t.elem)
        vec.rows = VecRows(buf, pitch, inner, elem)
        buf.vec = vec
        self.buffers.append(buf)
        return vec

    def push(self, vec: Vec, value, node) -> None:
        if vec.nested:
            return self.push_row(vec, value, node)
        at = vec.size
        vec.size = self.ops.arith("+", vec.size, 1, "int64", node.line)   # the store lands inside
        self.store(Ptr(vec.buf, vec.base + at, vec.elem), value, node)

    def push_row(self, vec: Vec, row, node) -> None:
        """`m.push_back(row)`: a copy of the row becomes row `m.size()`."""
        if not isinstance(row, Vec) or row.nested or not isinstance(row.buf, SymBuf):
            raise Unprovable(f"push_back of something that is not a row at line {node.line}")
        rows = vec.rows
        if rows.inner is None:
            rows.inner = row.size
        elif self.checking and not self.facts.holds(S.lift(rows.inner, False) == S.lift(row.size, False)):
            raise Unprovable(f"rows of different lengths at line {node.line}")
        at = S.lift(vec.size, False)
        vec.size = self.ops.arith("+", vec.size, 1, "int64", node.line)
        e = (z3.Int(self.fresh("e")), z3.Int(self.fresh("e")))
        value = cell(row.buf.state, (S.lift(row.base, False) + e[1],), self.facts)
        vec.buf.state = Closed(vec.buf.state, e, [(z3.And(e[0] == at, e[1] >= 0, e[1] < S.lift(row.size, False)), value)])
        if self.written is not None:
            self.written.add(vec.buf)

    def copy_vec(self, v: Vec, node) -> Vec:
        raise Unprovable(f"a copy of a vector at line {node.line}")

    def e_method(self, node: A.Method):
        if node.method not in ("resize", "assign"):
            return super().e_method(node)
        vec = self.eval(node.obj)
        if not isinstance(vec, Vec) or vec.nested or not isinstance(vec.buf, SymBuf):
            raise Unprovable(f"'{node.method}' of this vector at line {node.line}")
        args = [self.eval(a) for a in node.args]
        n = self.int_value(args[0], node)
        fill = args[1] if len(args) > 1 else 0
        start = vec.size if node.method == "resize" else 0
        e = z3.Int(self.fresh("e"))
        value = S.lift(self.convert(fill, vec.elem), carith.is_float(vec.elem.dtype))
        vec.buf.state = Closed(vec.buf.state, (e,), [(z3.And(e >= vec.base + start, e < vec.base + n), value)])
        if self.written is not None:
            self.written.add(vec.buf)
        vec.size = n
        return None

    def range_element(self, vec: Vec, i, decl: A.Decl):
        if vec.nested:
            return vec.rows.load(i, decl, ())
        if isinstance(decl.type, A.Ref):
            return Ptr(vec.buf, vec.base + i, vec.elem)
        return self.deref(Ptr(vec.buf, vec.base + i, vec.elem), decl)

    def is_data(self, t) -> bool:
        """Whether a term depends on array contents or floating point (not an index)."""
        if isinstance(t, Ptr):
            return False
        if not S.is_term(t):
            return isinstance(t, float)
        todo, seen = [t], set()
        while todo:
            x = todo.pop()
            if x.get_id() in seen:
                continue
            seen.add(x.get_id())
            if x.sort() == z3.RealSort():
                return True
            if z3.is_app(x) and x.num_args() and x.decl().kind() == z3.Z3_OP_UNINTERPRETED:
                return True
            todo.extend(x.children())
        return False


SymExec._EVAL = {**_EVAL, A.Cond: SymExec.e_cond, A.Binary: SymExec.e_binary, A.Method: SymExec.e_method}

_GROWS = ("push_back", "emplace_back", "resize", "assign", "clear")


class _SizeOf:
    """A vector's size as a variable a loop carries (`push_back` adds one per iteration)."""

    def __init__(self, vec: Vec):
        self.vec = vec
        self.type = A.Scalar("int64")
        self.name = "size()"

    @property
    def value(self):
        return self.vec.size

    @value.setter
    def value(self, v) -> None:
        self.vec.size = v


class VecRows:
    """The rows of a vector of vectors: row i starts at i*R in the data's index space."""

    def __init__(self, data: "SymBuf", pitch, inner, elem: A.Type):
        self.data, self.pitch, self.inner, self.elem = data, pitch, inner, elem

    def load(self, off, site=None, counters=(), loops=()):
        if self.inner is None:
            raise Unprovable("a row read before any is there")
        return Vec(self.data, (Poly.of(S.lift(off, False)) * Poly.of(self.pitch)).term(), self.inner, self.elem)


class _ForLoop:
    """`for (init; cond; step) body`, `while`, `do ... while`."""

    def __init__(self, ex: "SymExec", node: A.Loop):
        self.ex, self.node = ex, node
        self.line = node.line
        self.test_first = node.test_first

    def carried(self) -> list:
        return self.ex.carried((self.node.cond, self.node.body, self.node.step))

    def cond(self):
        return self.ex.eval(self.node.cond)

    def iterate(self, cond_first: bool = True) -> None:
        """One iteration: the condition (for its side effects), the body, the step."""
        ex, node = self.ex, self.node
        try:
            if node.test_first and cond_first:
                ex.eval(node.cond)
            ex.exec(node.body)
            if node.step is not None:
                ex.eval(node.step)
            if not node.test_first:
                ex.eval(node.cond)
        except (_Break, _Continue):
            raise Unprovable(f"break or continue in the loop at line {node.line}") from None
        except _Return:
            raise Unprovable(f"a return inside the loop at line {node.line}") from None

    def exit(self) -> None:
        """The condition's side effects at the exit (`while (n--)`)."""
        if self.node.test_first and _has_side_effects(self.node.cond):
            self.ex.eval(self.node.cond)


class _RangeLoop:
    """`for (auto x : v)`: a hidden position moves over the vector's elements."""

    def __init__(self, ex: "SymExec", node: A.Loop, vec: Vec, position: Var):
        self.ex, self.node, self.vec, self.position = ex, node, vec, position
        self.line = node.line
        self.test_first = True

    def carried(self) -> list:
        return [self.position] + self.ex.carried((self.node.body,))

    def cond(self):
        return self.ex.ops.compare("<", self.position.value, self.vec.size)

    def iterate(self, cond_first: bool = True) -> None:
        ex, node = self.ex, self.node
        ex.scopes.append({})
        try:
            ex.scopes[-1][node.init.name] = Var(ex.range_element(self.vec, self.position.value, node.init),
                                                node.init.type)
            ex.exec(node.body)
        except (_Break, _Continue):
            raise Unprovable(f"break or continue in the loop at line {node.line}") from None
        except _Return:
            raise Unprovable(f"a return inside the loop at line {node.line}") from None
        finally:
            ex.scopes.pop()
        self.position.value = ex.ops.arith("+", self.position.value, 1, "int64", node.line)

    def exit(self) -> None:
        pass


def _flat_init(init) -> list:
    if isinstance(init, A.InitList):
        return [y for x in init.items for y in _flat_init(x)]
    return [init]


def _mentions(t, ids) -> bool:
    if isinstance(t, Ptr):
        t = t.off
    if not S.is_term(t):
        return False
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


# ---------------------------------------------------------------- one loop's closed form

class _Summary:
    def __init__(self, ex: SymExec, loop):
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
                    b.state = Init(z3.Function(ex.fresh(b.name), *_domain(b.state), _range(b.state)))
                    if ex.written is not None:
                        ex.written.add(b)
            return
        # the generic iteration k: counters at k, accumulators and written arrays fresh
        generic: dict = {}
        facts = [k >= 0, k < K]
        for v in carried:
            v.value = at(k)[id(v)] if kinds[id(v)] == "index" else \
                generic.setdefault(id(v), self.symbol_like(v, entry[id(v)], facts))
        gens = {b: Init(z3.Function(ex.fresh(b.name), *_domain(b.state), _range(b.state)))
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
            ex._under(_bool(cond), lambda: self.loop.iterate(cond_first=False))
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
                new = _replace_apps(new, g.fn.get_id(), lambda args, ctx, b=b: ex.read(_bound(closed[b], T, k),
                                                                                        args, ctx), ex.folds)
            at[id(v)] = self.close_value(v, kinds[id(v)], entry[id(v)], generic[id(v)], new, k)
        final = {i: f(K) for i, f in at.items()}
        states = {b: _bound(st, T, K) for b, st in closed.items()}
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
            e = tuple(z3.Int(self.ex.fresh("e")) for _ in _domain(gens[b]))
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
        e = tuple(z3.Int(ex.fresh(f"e{d}")) for d in range(len(_domain(gen))))
        cases, base = cases_of(new, e)
        if base is not gen:
            raise Unprovable(f"'{b.name}' is replaced in the loop at line {self.line}")
        cases = [(z3.simplify(c), z3.substitute(v, *subst) if subst else v) for c, v in cases]
        for fid, state in others:
            now = _bound(state, T, k)
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


# ---------------------------------------------------------------- helpers

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


def _start(state) -> Init:
    while not isinstance(state, Init):
        state = state.started if isinstance(state, _Unset) else state.base if isinstance(state, Choice) else state.prev
    return state


def _domain(state):
    fn = _start(state).fn
    return [fn.domain(i) for i in range(fn.arity())]


def _range(state):
    return _start(state).fn.range()


def _bound(state: Closed, T, t):
    """A closed form built over the bound T, read at T = t."""
    if not isinstance(state, Closed):
        return state
    return Closed(state.prev, state.vars, [(z3.substitute(c, (T, t)), z3.substitute(v, (T, t)))
                                           for c, v in state.cases])


def _same_int(a, b) -> bool:
    return (Poly.of(a) - Poly.of(b)).constant == 0


def _has_side_effects(e) -> bool:
    return any(isinstance(n, A.Assign) or (isinstance(n, A.Unary) and n.op in ("++", "--", "p++", "p--"))
               or isinstance(n, A.Call) for n in A.walk(e))


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
