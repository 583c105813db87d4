"""Array contents during an all-sizes proof, held in index space.

Contents are a chain of writes over the initial elements: a store (`Put`), the two sides of a
condition the facts do not decide (`Choice`), a loop's closed form (`Closed`). An element is
read by walking the chain (`cell`). A `SymBuf` is one array: every offset the C computes is
split along its layout's strides, and each part is proved to lie inside its dimension, so
that "row i is written in iteration i" is linear for the solver.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Optional

import z3

from .. import carith
from ..c import ast as A
from ..c.interp import Vec, size_of
from . import symbolic as S
from .facts import Facts, Unprovable
from .poly import Poly


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
        if isinstance(state, Unset):
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
class Unset:
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
    base: Optional[Poly] = None         # a window read at an offset: where it starts (c/offsets.py)

    @property
    def ndim(self) -> int:
        return len(self.shape)

    def index(self, ex, off, target: A.Type) -> tuple:
        if isinstance(self.state, Unset) and isinstance(target, A.Scalar):
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
        rest = Poly.of(off) - self.base if self.base is not None else Poly.of(off)
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


class VecRows:
    """The rows of a vector of vectors: row i starts at i*R in the data's index space."""

    def __init__(self, data: "SymBuf", pitch, inner, elem: A.Type):
        self.data, self.pitch, self.inner, self.elem = data, pitch, inner, elem

    def load(self, off, site=None, counters=(), loops=()):
        if self.inner is None:
            raise Unprovable("a row read before any is there")
        return Vec(self.data, (Poly.of(S.lift(off, False)) * Poly.of(self.pitch)).term(), self.inner, self.elem)


def start_of(state) -> Init:
    while not isinstance(state, Init):
        state = state.started if isinstance(state, Unset) else state.base if isinstance(state, Choice) else state.prev
    return state


def domain_of(state):
    fn = start_of(state).fn
    return [fn.domain(i) for i in range(fn.arity())]


def range_of(state):
    return start_of(state).fn.range()


def bound_at(state: Closed, T, t):
    """A closed form built over the bound T, read at T = t."""
    if not isinstance(state, Closed):
        return state
    return Closed(state.prev, state.vars, [(z3.substitute(c, (T, t)), z3.substitute(v, (T, t)))
                                           for c, v in state.cases])
