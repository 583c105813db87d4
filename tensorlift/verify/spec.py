"""A program's outputs as closed forms over symbolic sizes: the other side of an all-sizes proof.

Each statement is one closed form over its left side's variables: the element at (e0, e1, ...)
is the right side there, reductions being `Folds` over their variables' extents, inside the
statement's domain, and what it was outside. The meaning is the evaluator's and the bounded
prover's (TACO's reduction rule from `taco.semantics`, C's arithmetic from `symbolic`); only
the sizes are symbols.
"""
from __future__ import annotations

from typing import Optional

import z3

from ..taco.ir import Access, BinOp, Call, Const, Expr, Neg, Not, Program, Reduce, children, index_value
from ..taco.semantics import reduce_vars, reduction_homes, size_names
from ..taco.typing import ExtentError, extents
from . import symbolic as S
from .folds import Folds
from .poly import Poly
from .symexec import Closed, Facts, Init, Unprovable, cell


def program_states(program: Program, states: dict, scalars: dict, shapes: dict, dtypes: dict,
                   facts: Facts, folds: Folds, returned: Optional[str] = None) -> dict:
    """The contents of every tensor after the program: `states` holds the inputs' (and the
    outputs' initial) contents, `scalars` the value of every scalar and size, `shapes` each
    tensor's extents (terms). `returned`: the returned value, which starts at zero."""
    states = dict(states)
    for st in program.statements:
        lhs = st.lhs
        if not all(isinstance(i, str) for i in lhs.indices):
            raise Unprovable(f"an index expression on the left of `{st}`")
        shape = shapes.get(lhs.name, [])
        if len(shape) != len(lhs.indices):
            raise Unprovable(f"`{lhs}` does not have the order of {lhs.name}")
        e = tuple(z3.Int(f"{v}!{lhs.name}") for v in lhs.indices)
        binding = dict(zip(lhs.indices, e))
        ranges = [z3.And(x >= 0, x < n) for x, n in zip(e, shape)]
        ev = _Eval(states, scalars, shapes, facts, folds, st, binding)
        facts.push(*ranges)
        try:
            cond = z3.BoolVal(True)
            if st.domain is not None:
                c = ev.eval(st.domain, binding)
                cond = c if z3.is_bool(c) else (c != 0 if S.is_term(c) else z3.BoolVal(bool(c)))
            facts.push(cond)             # the right side is read only inside the domain
            try:
                value = ev.eval(st.rhs, binding)
            finally:
                facts.pop()
            old_state = states.get(lhs.name)
            if st.accumulate:
                old = cell(old_state, e, facts) if old_state is not None else 0
                if lhs.name == returned and isinstance(old_state, Init):
                    old = 0                 # a returned value starts at zero
                value = S.arith("+", old, value)
            ctype = dtypes.get(lhs.name, "int")
            value = S.convert(S.lift(value, S.is_real(value)), ctype)
        finally:
            facts.pop()
        if old_state is None:
            raise Unprovable(f"'{lhs.name}' has no contents before the program")
        states[lhs.name] = Closed(old_state, e, [(cond, value)])
    return states


class _Eval:
    """One right side on terms at one symbolic element."""

    def __init__(self, states, scalars, shapes, facts, folds, st, binding):
        self.states, self.scalars, self.shapes = states, scalars, shapes
        self.facts, self.folds = facts, folds
        names = size_names(st.rhs, st.lhs.indices, set(scalars))
        self.sizes = names
        self.homes = reduction_homes(st.rhs, st.lhs.indices, names)
        self.keep = st.lhs.indices
        self.ext = self._extents(st)

    def _extents(self, st) -> dict:
        """`typing.extents` on terms: two extents agree when they differ by no constant."""
        try:
            return extents(st.lhs, st.rhs, lambda a: self.shapes.get(a.name, []), self.shapes.get(st.lhs.name, []),
                           equal=lambda a, b: (Poly.of(a) - Poly.of(b)).constant == 0, smaller=None, sizes=self.sizes)
        except ExtentError as e:
            raise Unprovable(f"{e} in `{st}`") from None

    def eval(self, e: Expr, binding: dict):
        summed = [v for v in self.homes.get(id(e), ()) if v not in binding]
        if summed:
            return self.fold("sum", summed, binding, lambda b: self.here(e, b))
        return self.here(e, binding)

    def fold(self, op, vars_, binding, body):
        if not vars_:                    # `max(x(i))` over the left side's i: nothing to reduce
            return body(binding)
        unknown = [v for v in vars_ if v not in self.ext]
        if unknown:
            raise Unprovable(f"the extent of {', '.join(unknown)} is not known")
        v = vars_[0]
        k = z3.Int(f"{v}!r{len(binding)}")
        inner = {**binding, v: k}
        self.facts.push(k >= 0, k < self.ext[v])
        try:
            value = self.fold(op, vars_[1:], inner, body) if len(vars_) > 1 else body(inner)
        finally:
            self.facts.pop()
        if op in ("max", "min") and not self.facts.holds(self.ext[v] >= 1):
            raise Unprovable(f"{op} over a range that may be empty")
        return self.folds.fold(op, k, 0, self.ext[v], value)

    def index(self, i, binding):
        return index_value(i, lambda v: binding[v] if v in binding else self.scalars[v])

    def here(self, e: Expr, binding):
        if isinstance(e, Const):
            return e.value
        if isinstance(e, Access):
            if not e.indices and e.name in binding:
                return binding[e.name]
            if e.name in self.states:
                pos = tuple(S.lift(self.index(i, binding), False) for i in e.indices)
                shape = self.shapes.get(e.name, [])
                for p, n in zip(pos, shape):
                    if not self.facts.holds(z3.And(p >= 0, p < n)):
                        raise Unprovable(f"`{e}` may reach outside {e.name}")
                return cell(self.states[e.name], pos, self.facts)
            if not e.indices and e.name in self.scalars:
                return self.scalars[e.name]
            raise Unprovable(f"'{e.name}' is read before it is defined")
        if isinstance(e, (Neg, Not, BinOp, Call)):
            return S.apply(e, [self.eval(c, binding) for c in children(e)])
        if isinstance(e, Reduce):
            return self.fold(e.op, list(reduce_vars(e, self.keep, self.sizes)), binding,
                             lambda b: self.eval(e.body, b))
        raise Unprovable(f"cannot evaluate {e}")
