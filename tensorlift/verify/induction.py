"""Proofs for every size: the C function and the program in closed form, compared once.

The C side is run once per kernel with every free size a symbol (`symexec`: loops replaced by
their closed forms, each justified by a step check on one generic iteration); each candidate
program is put in closed form over the same symbols (`spec`), and for every output, z3 is
asked for an element, sizes and inputs where the two differ. No such thing means the program
equals the C for every size (every free dimension >= 1; tied sizes tied, strides dense, as in
the bounded proof), with the same arithmetic model: integers with C's widths, real arithmetic
for floating point, every real divisor nonzero.

Induction never refutes: when the closed forms do not meet (the C does something `symexec`
does not follow, or the solver cannot show two forms equal), it says nothing and the caller
proves up to a bound.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Optional

import numpy as np
import z3

from .. import carith
from ..c import ast as A
from ..c.interp import Ptr, Vec
from ..c.slots import bind
from ..errors import KernelRunError, TensorliftError
from ..taco.ir import Condition, Program, key_value
from ..taco.typing import dtypes_of
from . import symbolic as S
from .folds import Folds, normal
from .poly import Poly
from .spec import program_states
from .facts import Facts, interruptible_check, nonzero_divisors
from .memory import Init, RowsBuf, SymBuf, VecRows, cell
from .symexec import SymExec, Unprovable
from .result import VerifyResult


@dataclass
class _CSide:
    facts: Facts
    folds: Folds
    scalars: dict               # slot -> value (terms for sizes and value scalars)
    inputs: dict                # array slot -> its initial contents (Init)
    shapes: dict                # array slot (and the returned value) -> extents as terms
    finals: dict                # written array slot -> its contents after the call
    returned: object = None     # the returned value
    fn_types: dict = field(default_factory=dict)   # input function -> its C type


class Induction:
    """All-sizes proofs against one kernel: the C side is summarized once, on first use."""

    def __init__(self, analysis, model: str):
        self.analysis = analysis
        self.model = model
        self._c: Optional[_CSide] = None
        self.reason: Optional[str] = None    # why the C side has no closed form

    def prove(self, program: Program, outputs: Optional[list[str]], deadline: float):
        """A VerifyResult with scope "all-sizes", or None (with `self.reason` saying why)."""
        if self.reason is not None:
            return None
        start = time.monotonic()
        try:
            c = self._c_side()
        except Unprovable as e:
            self.reason = str(e)
            return None
        try:
            ok = self._compare(c, program, outputs, deadline)
        except Unprovable as e:
            self.last = str(e)
            return None
        except (z3.Z3Exception, RecursionError) as e:
            self.last = f"the solver failed: {e}"
            return None
        if not ok:
            return None
        return VerifyResult("proved", None, self.model, seconds=time.monotonic() - start, scope="all-sizes")

    # ---------------------------------------------------------------- the C side
    def _c_side(self) -> _CSide:
        if self._c is None:
            try:
                self._c = _run_c(self.analysis)
            except (TensorliftError, KernelRunError, RecursionError, z3.Z3Exception) as e:
                raise Unprovable(f"the C is not followed for every size: {e}") from None
        return self._c

    # ---------------------------------------------------------------- one program
    def _compare(self, c: _CSide, program: Program, outputs, deadline) -> bool:
        sig = self.analysis.signature
        names = outputs if outputs is not None else sig.outputs
        states = dict(c.inputs)
        if sig.returns:
            sort = z3.RealSort() if carith.is_float(sig.returns) else z3.IntSort()
            arity = len(sig.returns_shape or [])
            states[sig.function] = Init(z3.Function(f"{sig.function}!undefined", *[z3.IntSort()] * arity, sort))
        got = program_states(program, states, c.scalars, c.shapes, dtypes_of(sig), c.facts, c.folds,
                             returned=sig.function if sig.returns else None)
        for name in names:
            if name == sig.function and sig.returns_shape is None:
                e: tuple = ()
                want = c.returned
                ranges: list = []
            else:
                shape = c.shapes[name]
                e = tuple(z3.Int(f"e{d}!{name}") for d in range(len(shape)))
                ranges = [z3.And(x >= 0, x < n) for x, n in zip(e, shape)]
                want = cell(c.finals.get(name, c.inputs.get(name)), e)
            have = cell(got[name], e) if name in got else want
            if not self._equal(c, want, have, ranges, deadline):
                self.last = f"the solver does not show '{name}' equal for every size"
                return False
        return True

    def _equal(self, c: _CSide, want, have, ranges, deadline) -> bool:
        real = S.is_real(want) or S.is_real(have)
        a, b = S.lift(want, real), S.lift(have, real)
        if a.eq(b) or normal(a).eq(normal(b)):
            return True
        left = deadline - time.monotonic()
        if left <= 0:
            raise Unprovable("time limit reached")
        solver = z3.Solver()
        solver.set("timeout", max(1, int(min(left, 20.0) * 1000)))
        solver.add(*c.facts.base, *ranges)
        axioms = c.folds.axioms([a, b])
        solver.add(*axioms)
        solver.add(*_input_ranges([a, b] + axioms, c.fn_types))
        solver.add(*nonzero_divisors([a, b]))
        solver.add(a != b)
        return interruptible_check(solver) == z3.unsat


# ---------------------------------------------------------------- running the C

_FLOAT_MAX = {t: Fraction(float(np.finfo(np.float32 if t == "float" else np.float64).max))
              for t in ("float", "double")}


def _run_c(analysis) -> _CSide:
    sig = analysis.signature
    k = analysis.kernel
    free = analysis.free_dims
    syms = {d: z3.Int(d) for d in free}
    base = [s >= 1 for s in syms.values()]
    for d, s in syms.items():
        dtype = sig.param(d).dtype
        if not carith.is_int(dtype):
            raise Unprovable(f"the size '{d}' is not an integer")
        base.append(s <= carith.bounds(dtype)[1])
    env = analysis.sizes(syms)
    if analysis.where is not None:          # one case of the kernel's size checks
        base.append(_holds(analysis.where, {**env, **analysis.fixed}))
    facts = Facts(base)
    folds = Folds()
    types: dict = {}
    fn_types: dict = {}
    scalars: dict = {}
    inputs: dict = {}
    shapes: dict = {}
    arrays: dict = {}
    buffers: dict = {}
    vectors: dict = {}
    for s in analysis.slots:
        if s.kind == "scalar":
            if s.name in env:
                scalars[s.name] = env[s.name]
            elif s.name in analysis.fixed:
                scalars[s.name] = analysis.fixed[s.name]
            else:
                scalars[s.name] = _symbol(s.name, s.dtype, facts, types)
            continue
        lay = analysis.layouts[s.name]
        shape = [Poly.of(_term(e.eval(env))) for e in lay.shape]
        strides = [Poly.of(_term(st.eval(env))) for st in lay.strides]
        shapes[s.name] = [p.term() for p in shape]
        if s.is_return:
            continue
        sort = z3.RealSort() if carith.is_float(s.dtype) else z3.IntSort()
        fn = z3.Function(s.name, *([z3.IntSort()] * len(shape)), sort)
        fn_types[fn.get_id()] = s.dtype
        inputs[s.name] = Init(fn)
        writable = sig.param(s.name).access != "read"
        elem = A.Scalar(s.dtype)
        if s.vector:
            pitch = z3.Int(f"{s.name}!pitch")
            # a vector passed by value is the kernel's own copy: it may write it
            buf = SymBuf(s.name, inputs[s.name], shape, [Poly.of(pitch), *strides[1:]] if s.rows else strides,
                         writable or s.by_value)
            arrays[s.name] = vectors[s.name] = Vec(buf, 0, 0, A.Vector(elem) if s.rows else elem)
            vectors[s.name].pitch = pitch
        elif s.rows:
            pitch = z3.Int(f"{s.name}!pitch")
            buf = SymBuf(s.name, inputs[s.name], shape, [Poly.of(pitch)] + strides[1:], writable)
            arrays[s.name] = Ptr(RowsBuf(buf, pitch, elem), 0, A.Pointer(elem))
        else:
            base = Poly.of(_term(lay.base.eval(env))) if lay.base is not None else None
            buf = SymBuf(s.name, inputs[s.name], shape, strides, writable, base=base)
            arrays[s.name] = Ptr(buf, 0, elem)
        buffers[s.name] = buf
    ex = SymExec(k, facts, folds, types, fn_types)
    ex.buffers.extend(buffers.values())
    args, globals_, macros = bind(k, analysis.slots, scalars, arrays)
    for name, vec in vectors.items():        # the sizes analysis fitted, rows in index space
        vec.size = shapes[name][0]
        if vec.nested:
            vec.rows = VecRows(vec.buf, vec.pitch, shapes[name][1], A.Scalar(_slot(analysis, name).dtype))
    returned = ex.call(args, globals_, macros)
    finals = {name: b.state for name, b in buffers.items()}
    if sig.returns_shape is not None:
        shape = shapes[sig.function]
        sizes = [returned.size, returned.rows.inner if returned.nested else None][:len(shape)] \
            if isinstance(returned, Vec) else []
        if len(sizes) != len(shape) or any(n is None for n in sizes) or not facts.holds(z3.And(
                S.lift(returned.base, False) == 0, *[S.lift(n, False) == m for n, m in zip(sizes, shape)])):
            raise Unprovable("the returned vector does not have the shape analysis fitted")
        finals[sig.function] = returned.buf.state
        returned = None
    return _CSide(facts, folds, scalars, inputs, shapes, finals, returned, fn_types)


def _holds(cond: Condition, values: dict):
    """A condition on sizes and flags (`na-nb` in [0, 0]) as a solver formula."""
    def inside(v, iv):
        lo, hi = iv
        return z3.And(*([v >= lo] if lo is not None else []), *([v <= hi] if hi is not None else []))
    return z3.Or([z3.And([z3.Or([inside(_term(key_value(k, values)), iv) for iv in ivs]) for k, ivs in term])
                  for term in cond.terms])


def _slot(analysis, name: str):
    return next(s for s in analysis.slots if s.name == name)


def _term(v):
    return z3.IntVal(v) if isinstance(v, int) else v


def _symbol(name: str, dtype: str, facts: Facts, types: dict):
    if carith.is_float(dtype):
        v = z3.Real(name)
        m = z3.RealVal(_FLOAT_MAX[dtype])
        facts.base.append(z3.And(v >= -m, v <= m))
        facts.solver.add(facts.base[-1])
        return v
    v = z3.Int(name)
    lo, hi = carith.bounds(dtype)
    facts.base.append(z3.And(v >= lo, v <= hi))
    facts.solver.add(facts.base[-1])
    types[v.get_id()] = dtype
    return v


def _input_ranges(terms: list, fn_types: dict) -> list:
    """Each input element read in the terms lies in its C type's range."""
    out, seen, todo = [], set(), list(terms)
    while todo:
        t = todo.pop()
        if t.get_id() in seen:
            continue
        seen.add(t.get_id())
        if z3.is_app(t) and t.decl().get_id() in fn_types:
            dtype = fn_types[t.decl().get_id()]
            if carith.is_float(dtype):
                m = z3.RealVal(_FLOAT_MAX[dtype])
                out.append(z3.And(t >= -m, t <= m))
            else:
                lo, hi = carith.bounds(dtype)
                out.append(z3.And(t >= lo, t <= hi))
        todo.extend(t.children())
    return out


def prove_all_sizes(analysis, program, outputs, deadline: float):
    """One all-sizes proof (a fresh C side; `Verifier` keeps one `Induction` per kernel)."""
    model = "reals" if any(carith.is_float(p.dtype) for p in analysis.signature.params) else "integers"
    return Induction(analysis, model).prove(program, outputs, deadline)
