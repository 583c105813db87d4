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
from typing import Any, Optional

import z3

from .. import carith
from ..c import ast as A
from ..c.interp import _EVAL, Interpreter, Ptr, Var, Vec, _Break, _Continue, _Return, _Signal, size_of
from ..errors import UnsupportedConstruct
from . import symbolic as S
from .facts import Facts, Unprovable, as_bool
from .folds import Folds
from .memory import Choice, Closed, Init, Put, RowsBuf, SymBuf, VecRows, Unset, cell
from .poly import Poly
from .summary import _Summary


def _sizes_only(t) -> bool:
    """Whether an integer term is arithmetic on constants alone (sizes, counters), no
    function of them (an array's element)."""
    todo = [t]
    while todo:
        e = todo.pop()
        if z3.is_app(e) and e.decl().kind() == z3.Z3_OP_UNINTERPRETED and e.num_args() > 0:
            return False
        todo += e.children()
    return True


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
        """An integer term in `dtype`: unchanged when the facts keep it in the type's range.
        A signed int overflows nowhere the C is defined: on sizes and counters alone (`n + 1`
        as a loop bound), that is a fact of the path."""
        if not carith.is_int(dtype) or dtype == "bool":
            return S.wrap(v, dtype) if carith.is_int(dtype) else v
        lo, hi = carith.bounds(dtype)
        bits, signed = carith.INT_TYPES[dtype]
        if signed and bits >= 32:
            if z3.is_int(v) and _sizes_only(v) and not self.facts.holds(z3.And(v >= lo, v <= hi)):
                if self.facts.unsat(v >= lo, v <= hi):
                    raise Unprovable(f"'{v}' overflows {dtype} wherever it is computed")
                self.facts.assume(v >= lo, v <= hi)
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
                              state=Unset(self.fresh(f"{name}@{node.line}"), name == "calloc"), nbytes=nbytes)
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
            raise _Return(None if t[1] is None else self._select(as_bool(cond), t[1], o[1], node))

    def _fork(self, cond, then, other, node, values: bool = True):
        """Both sides of a condition the facts do not decide, each under it (or its negation),
        from the same state; variables and memory either side changed become selects."""
        c = as_bool(cond)
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


def _has_side_effects(e) -> bool:
    return any(isinstance(n, A.Assign) or (isinstance(n, A.Unary) and n.op in ("++", "--", "p++", "p--"))
               or isinstance(n, A.Call) for n in A.walk(e))
