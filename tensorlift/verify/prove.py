"""Bounded equivalence of a program with the C code, proved with z3.

For every combination of dimension sizes up to the bound (tied sizes stay tied, strides
dense), the C function runs in the interpreter on solver terms: every input element and
every value scalar is a fresh symbol, never a constant, constrained to its C type's range.
The program is evaluated on the same symbols. Every element of everything the C writes (and
its returned value) must be equal; an output the program does not define keeps its initial
value, so a missing statement is refuted too.

"proved" covers every store the C makes: a store outside the region analysis fitted, a store
into an array analysis found only read, or a read outside the fitted region, at any size up to
the bound, makes the verdict "unknown" with the reason, never "proved".
"""
from __future__ import annotations

import itertools
import time
from fractions import Fraction
from dataclasses import dataclass, field
from typing import Callable, Optional

import numpy as np
import z3

from .. import carith
from ..budget import Budget, OutOfTime
from ..c.affine import Affine, scaled
from ..c.analysis import Analysis
from ..c.examples import Region
from ..c.interp import Interpreter, Vec
from ..c.slots import array_pointer, bind
from ..errors import KernelRunError, TensorliftError, UnsupportedConstruct
from ..signature import Signature
from ..taco.ops import COMPARISONS
from ..taco.ir import (Access, BinOp, Call, Const, Expr, Neg, Not, Program, Reduce, accesses, children, index_value,
                       index_vars, is_index_value)
from ..taco.typing import ExtentError, extents, dtypes_of
from ..taco.semantics import reduce_vars, reduction_homes, size_names
from . import symbolic as S
from .facts import interruptible_check, nonzero_divisors
from .induction import Induction
from .result import VerifyResult


# ---------------------------------------------------------------- the program on terms


def eval_program(program: Program, env: dict, extents_of, dtypes: dict[str, str], sizes=frozenset()) -> dict:
    """Final values of the program's outputs on terms (arrays as object ndarrays). `sizes`:
    the names of sizes (ints in `env`), which index expressions may use."""
    env = dict(env)
    out: dict = {}
    for st in program.statements:
        rhs, lhs = st.rhs, st.lhs
        ext = extents_of(st, env)
        names = size_names(rhs, lhs.indices, sizes)
        ev = _Terms(env, ext, reduction_homes(rhs, lhs.indices, names), lhs.indices, names)
        ctype = dtypes.get(lhs.name, "int")
        shape = tuple(ext[v] for v in lhs.indices)
        result = np.empty(shape, dtype=object)
        old_all = env.get(lhs.name)
        for idx in itertools.product(*(range(n) for n in shape)):
            binding = dict(zip(lhs.indices, idx))
            old = old_all[idx] if isinstance(old_all, np.ndarray) else old_all
            inside = True if st.domain is None else ev.condition(st.domain, binding)
            if inside is not True and old is None:
                raise _Malformed(f"{lhs.name} has no value outside the domain of the statement")
            if inside is False:
                result[idx] = old                   # outside the domain: as it was
                continue
            v = ev.eval(rhs, binding)
            if st.accumulate:
                v = S.arith("+", 0 if old is None else old, v)   # a returned value starts at zero
            v = S.convert(S.lift(v, S.is_real(v)), ctype)
            result[idx] = v if inside is True else S.convert(S.select(inside, v, old), ctype)
        value = result if lhs.indices else result[()]
        env[lhs.name] = out[lhs.name] = value
    return out


class _Terms:
    """One right side on terms, one element at a time."""

    def __init__(self, env, ext, homes, keep, sizes):
        self.env, self.ext, self.homes, self.keep, self.sizes = env, ext, homes, keep, sizes

    def eval(self, e: Expr, binding: dict):
        summed = [v for v in self.homes.get(id(e), ()) if v not in binding]
        if summed:
            return self.fold("sum", e, summed, binding, self.here)
        return self.here(e, binding)

    def fold(self, op, e, vars_, binding, each):
        unknown = [v for v in vars_ if v not in self.ext]
        if unknown:     # used only inside index expressions (`x(i+j)`): nothing sets its extent
            raise _Malformed(f"the extent of {', '.join(unknown)} is unknown in {e}")
        total = None
        for vals in itertools.product(*(range(self.ext[v]) for v in vars_)):
            term = each(e, {**binding, **dict(zip(vars_, vals))})
            if total is None:
                total = term
            elif op == "sum":
                total = S.arith("+", total, term)
            elif op == "prod":
                total = S.arith("*", total, term)
            else:
                total = S.call(op, [total, term])
        if total is None:
            if op in ("max", "min"):
                raise _Malformed(f"{op} over nothing")
            return 0 if op == "sum" else 1
        return total

    def index(self, i, binding) -> int:
        return index_value(i, lambda v: binding[v] if v in binding else int(self.env[v]))

    def condition(self, e: Expr, binding: dict):
        """A domain at one element: True or False on index variables and sizes, a term when
        it reads values (the element is then a select of the new and the old value)."""
        v = self.here(e, binding)
        return v if S.is_term(v) else bool(v)

    def here(self, e: Expr, binding):
        if isinstance(e, Const):
            return e.value
        if isinstance(e, Access):
            if e.name not in self.env:      # the returned value read before the program defines it
                if not e.indices and (e.name in binding or e.name in self.sizes):
                    return binding.get(e.name, self.env.get(e.name))
                raise _Malformed(f"'{e.name}' is read before it is defined")
            v = self.env[e.name]
            if isinstance(v, np.ndarray):   # an order-0 array is a 0-d ndarray of one term
                pos = tuple(self.index(i, binding) for i in e.indices)
                if any(not 0 <= p < n for p, n in zip(pos, v.shape)):
                    raise _Malformed(f"{e} reaches outside {e.name}")
                return v[pos]
            return v
        if isinstance(e, (Neg, Not, BinOp, Call)):
            return S.apply(e, [self.eval(c, binding) for c in children(e)])
        if isinstance(e, Reduce):
            return self.fold(e.op, e.body, reduce_vars(e, self.keep, self.sizes), binding, self.eval)
        raise TensorliftError(f"cannot evaluate {e}")


def _decided_within(program: Program, top: int, scalars: set) -> Optional[Expr]:
    """A comparison of index variables with a constant that holds alike for every index
    0..top but not for larger ones (`for j <= 5` when sizes stop at 3): a bounded proof
    cannot tell it from `true`, so it proves nothing about it. None if there is none."""
    for st in program.statements:
        variables = (set(st.lhs.indices) | index_vars(st.rhs)) - scalars
        todo = [st.rhs] + ([st.domain] if st.domain is not None else [])
        while todo:
            e = todo.pop()
            todo += children(e)
            if not (isinstance(e, BinOp) and e.op in COMPARISONS):
                continue
            lin = _linear(BinOp("-", e.left, e.right), variables)
            coefs = dict(lin.terms) if lin is not None else {}
            if coefs and _decided(coefs, lin.const, e.op, top) and not _decided(coefs, lin.const, e.op, None):
                return e
    return None


def _linear(e, variables: set) -> Optional[Affine]:
    """`e` as an affine expression of index variables alone (no sizes, scalars or tensors:
    those move with the sizes or the data); else None."""
    if isinstance(e, Const):
        return Affine((), e.value) if isinstance(e.value, int) else None
    if isinstance(e, Access):
        return Affine(((e.name, 1),)) if not e.indices and e.name in variables else None
    if isinstance(e, Neg):
        inner = _linear(e.operand, variables)
        return None if inner is None else Affine((), 0) - inner
    if not isinstance(e, BinOp) or e.op not in ("+", "-", "*"):
        return None
    a, b = _linear(e.left, variables), _linear(e.right, variables)
    if a is None or b is None:
        return None
    return a + b if e.op == "+" else a - b if e.op == "-" else scaled(a, b)


def _decided(coefs: dict, const: int, op: str, top: Optional[int]) -> bool:
    """Whether `sum(coefs[v] * v) + const  op  0` has one truth value for every variable in
    0..top (None: unbounded)."""
    inf = float("inf")
    lo = const + sum(x * (top if top is not None else inf) for x in coefs.values() if x < 0)
    hi = const + sum(x * (top if top is not None else inf) for x in coefs.values() if x > 0)
    return {"<": hi < 0 or lo >= 0, "<=": hi <= 0 or lo > 0, ">": lo > 0 or hi <= 0,
            ">=": lo >= 0 or hi < 0, "==": lo > 0 or hi < 0 or lo == hi == 0,
            "!=": lo > 0 or hi < 0 or lo == hi == 0}[op]


# ---------------------------------------------------------------- the proof


def check_names(program: Program, sig: Signature) -> None:
    """A program that names unknown tensors or uses a wrong order is bad input."""
    orders = {p.name: len(p.shape or []) for p in sig.params if p.kind == "array"}
    if sig.returns_shape is not None:
        orders[sig.function] = len(sig.returns_shape)
    scalars = {p.name for p in sig.params if p.kind == "scalar"}
    outputs = set(sig.outputs)
    for st in program.statements:
        if st.lhs.name not in outputs:
            raise TensorliftError(f"'{st.lhs.name}' is not an output of {sig.function} "
                                  f"(outputs: {', '.join(sig.outputs) or 'none'})")
        for a in [st.lhs, *accesses(st.rhs)]:
            if a is not st.lhs and is_index_value(a, st.lhs):
                continue                    # a position used as a number, as the evaluator reads it
            if a.name in orders:
                if len(a.indices) != orders[a.name]:
                    raise TensorliftError(f"'{a.name}' has order {orders[a.name]} but is used as {a}")
            elif a.name in scalars or (a.name == sig.function and sig.returns):
                if a.indices:
                    raise TensorliftError(f"'{a.name}' is a scalar but is used as {a}")
            else:
                raise TensorliftError(f"unknown tensor '{a.name}' in the program")


def verify(analysis: Analysis, program: Program, bound: int = 3, timeout: float = 60.0) -> VerifyResult:
    return Verifier(analysis, bound).prove(program, timeout=timeout)


@dataclass
class _CRun:
    """The C function run on symbols at one size combination."""
    sizes: dict
    symbols: dict          # input name -> term, or object ndarray of terms
    scalars: dict
    regions: dict
    expected: dict         # output name -> final value(s)
    ranges: list = field(default_factory=list)   # the inputs' C ranges: (symbol, lo, hi)
    problem: Optional[str] = None                     # why no proof can cover this run
    unseen: bool = False                              # the problem is a store no example saw


class Verifier:
    """Proves programs against one kernel; the C side is executed once per size
    combination and reused for every candidate.

    `bound` is the floor of every dimension's bound: a dimension that drives unrolled loops
    or loops that compare with constants goes as far as they ask (`Analysis.proof_bounds`).
    Combinations are proved smallest first, so that a refutation comes early. `progress`,
    if given, hears what is being proved (for a line on a terminal)."""

    def __init__(self, analysis: Analysis, bound: int = 3, progress: Optional[Callable[[str], None]] = None):
        if bound < 1:
            raise TensorliftError("the verification bound must be at least 1")
        self.analysis = analysis
        self.bound = bound
        self.bounds = analysis.proof_bounds(bound)
        self.progress = progress
        sig = analysis.signature
        reals = any(carith.is_float(p.dtype) for p in sig.params) or carith.is_float(sig.returns or "int")
        self.model = "reals" if reals else "integers"
        self._runs: dict[tuple, _CRun] = {}
        self.induction: Optional[Induction] = None     # the all-sizes prover, made on first use

    def combinations(self) -> list[tuple]:
        """Every combination of the free dimensions' sizes within their bounds (and within
        the case of the size checks being proved), smallest first."""
        ranges = [range(1, n + 1) for n in self.bounds.values()]
        where, free = self.analysis.where, self.analysis.free_dims
        combos = [v for v in itertools.product(*ranges)
                  if where is None or where.holds(self.analysis.sizes(dict(zip(free, v))))]
        return sorted(combos, key=lambda v: (max(v, default=0), sum(v), v))

    def prove(self, program: Program, outputs: Optional[list[str]] = None, timeout: float = 60.0) -> VerifyResult:
        """`outputs`: compare only these (the statements found so far); default: all."""
        start = time.monotonic()
        check_names(program, self.analysis.signature)
        if self.analysis.free_dims:
            if self.induction is None:
                self.induction = Induction(self.analysis, self.model)
            inductive = self.induction.prove(program, outputs, start + timeout)
            if inductive is not None:
                inductive.seconds = time.monotonic() - start
                return inductive
        return self.prove_bounded(program, outputs, timeout - (time.monotonic() - start))

    def prove_bounded(self, program: Program, outputs: Optional[list[str]] = None,
                      timeout: float = 60.0) -> VerifyResult:
        """The bounded proof alone: every combination of sizes within `bounds`."""
        start = time.monotonic()
        analysis = self.analysis
        check_names(program, analysis.signature)
        free = analysis.free_dims
        deadline = start + timeout
        bounds = dict(self.bounds) if free else None
        result = VerifyResult("proved", min(bounds.values()) if free else None, self.model, bounds=bounds)
        combos = self.combinations()
        if free and not combos:
            result.verdict = "unknown"
            result.reason = f"no sizes up to {max(self.bounds.values())} lie in this case: raise the bound (--bound)"
        what = ", ".join(outputs or analysis.signature.outputs)
        for k, values in enumerate(combos):
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                result.verdict, result.reason = "unknown", f"time limit reached after {result.cases} size combinations"
                break
            if self.progress is not None:
                sizes = ", ".join(f"{d}={v}" for d, v in zip(free, values))
                self.progress(f"proving {what} at sizes {sizes} ({k + 1}/{len(combos)})")
            try:
                run = self._run(values, deadline)
                if run.problem is not None:
                    verdict, cex = "unknown", run.problem
                    result.unseen_store = run.unseen
                else:
                    verdict, cex = _prove_case(analysis, program, run, outputs, remaining)
            except UnsupportedConstruct as e:
                verdict, cex = "unknown", str(e)
            except OutOfTime:
                verdict, cex = "unknown", f"time limit reached after {result.cases} size combinations"
            except KernelRunError as e:
                verdict, cex = "unknown", f"symbolic execution failed: {e}"
            if verdict != "proved":
                result.verdict = verdict
                if verdict == "refuted":
                    result.counterexample = cex
                else:
                    result.reason = cex
                break
            result.cases += 1
        if result.verdict == "proved" and free:
            top = max((n for run in self._runs.values() for r in run.regions.values() for n in r.shape), default=1) - 1
            beyond = _decided_within(program, top, {p.name for p in analysis.signature.params if p.kind == "scalar"})
            if beyond is not None:
                result.verdict = "unknown"
                result.reason = (f"`{beyond}` compares indices with a constant that no size up to the bound "
                                 f"{self.bound} reaches: raise the bound (--bound) to cover it")
        if result.verdict == "proved":
            result.scope = "bounded" if free else "fixed-sizes"
        result.seconds = time.monotonic() - start
        return result

    def _run(self, values: tuple, deadline: float) -> _CRun:
        if values not in self._runs:
            sizes = self.analysis.sizes(dict(zip(self.analysis.free_dims, values)))
            self._runs[values] = _execute(self.analysis, sizes, Budget(deadline - time.monotonic()))
        return self._runs[values]


_FLOAT_MAX = {t: Fraction(float(np.finfo(np.float32 if t == "float" else np.float64).max))
              for t in ("float", "double")}


def _symbol(name: str, dtype: str, ranges: list, types: dict):
    """An input of the C type `dtype`; its range is kept as numbers and only made a z3 term
    for a query (most cases never need the solver, and a term costs more than the symbol)."""
    if carith.is_float(dtype):
        # a finite value of its type: `m = -FLT_MAX; m = fmaxf(m, x[i])` is max(x(i))
        v = z3.Real(name)
        ranges.append((v, -_FLOAT_MAX[dtype], _FLOAT_MAX[dtype]))
        types[v.get_id()] = dtype
        return v
    v = z3.Int(name)
    lo, hi = carith.bounds(dtype)
    if carith.INT_TYPES[dtype][0] < 64 or lo == 0:
        ranges.append((v, lo, hi))
    types[v.get_id()] = dtype
    return v


def _in_ranges(ranges: list) -> list:
    def num(x):
        return z3.RealVal(x) if isinstance(x, Fraction) else x
    return [z3.And(v >= num(lo), v <= num(hi)) for v, lo, hi in ranges]


def _execute(analysis: Analysis, sizes: dict[str, int], budget: Optional[Budget] = None) -> _CRun:
    sig = analysis.signature
    k = analysis.kernel
    symbols: dict[str, object] = {}
    scalars: dict[str, object] = {}
    ranges: list = []
    types: dict[int, str] = {}      # input symbol's AST id -> its C type
    arrays, buffers, regions = {}, {}, {}
    outside: list[str] = []
    for s in analysis.slots:
        if s.is_return:
            regions[s.name] = Region.of(analysis.layouts[s.name], sizes)
            continue
        if s.kind == "scalar":
            if s.name in sizes or s.name in analysis.fixed:
                # a flag held for one case stands for every value of its interval: each
                # condition on it compares it with constants and so comes out the same
                scalars[s.name] = sizes.get(s.name, analysis.fixed.get(s.name))
            else:
                scalars[s.name] = symbols[s.name] = _symbol(s.name, s.dtype, ranges, types)
            continue
        reg = regions[s.name] = Region.of(analysis.layouts[s.name], sizes)
        init = np.empty(reg.shape, dtype=object)
        where = {}
        offs = reg.offsets()
        for idx in itertools.product(*(range(n) for n in reg.shape)):
            init[idx] = _symbol(f"{s.name}[{','.join(map(str, idx))}]" if idx else s.name, s.dtype, ranges, types)
            where[reg.interp_offset(int(offs[idx]))] = init[idx]
        symbols[s.name] = init

        def fresh(off, where=where, name=s.name, dtype=s.dtype):
            if off in where:
                return where[off]
            outside.append(f"reads {name} at offset {off}")
            return _symbol(f"{name}@{off}", dtype, ranges, types)
        arrays[s.name], buffers[s.name] = array_pointer(s, fresh, trace=None)
        buffers[s.name].stored = {}
    ret = Interpreter(k, S.SymbolicOps(types), budget=budget).call(*bind(k, analysis.slots, scalars, arrays))
    expected: dict[str, object] = {}
    problem = None
    for s in analysis.slots:
        if s.is_return:
            expected[s.name] = _returned(ret, regions[s.name], sizes)
            continue
        if s.kind != "array":
            continue
        reg = regions[s.name]
        offs = {reg.interp_offset(int(o)) for o in np.ravel(reg.offsets())}
        stored = buffers[s.name].stored if not s.by_value else {}   # a copy's stores stay the kernel's
        access = sig.param(s.name).access
        if stored and access == "read":
            problem = problem or (f"the C may store into '{s.name}' (line {min(stored.values())}), "
                                  f"which no example saw written, at sizes {_dims(sig, sizes)}")
        beyond = sorted(o for o in stored if o not in offs)
        if beyond:
            problem = problem or (f"the C stores into '{s.name}' outside the region analysis fitted "
                                  f"(shape {sig.param(s.name).shape}) at sizes {_dims(sig, sizes)} "
                                  f"(line {stored[beyond[0]]})")
        if access == "read":
            continue
        final = symbols[s.name].copy()
        flat = reg.offsets()
        data = buffers[s.name].data
        for idx in itertools.product(*(range(n) for n in reg.shape)):
            off = reg.interp_offset(int(flat[idx]))
            if off in data:
                final[idx] = data[off]
        expected[s.name] = final
    unseen = problem is not None
    if outside and problem is None:
        problem = f"the C {outside[0]}, outside the region analysis fitted, at sizes {_dims(sig, sizes)}"
    if sig.returns and sig.returns_shape is None:
        expected[sig.function] = ret
    return _CRun(sizes, symbols, scalars, regions, expected, ranges, problem, unseen)


def _returned(vec, reg: Region, sizes: dict) -> np.ndarray:
    """A returned vector's elements as the region analysis fitted: every one must be there."""
    if not isinstance(vec, Vec) or (reg.shape and vec.size != reg.shape[0]):
        raise KernelRunError(f"the returned vector does not have the shape {reg.shape} at sizes {sizes}")
    out = np.empty(reg.shape, dtype=object)
    offs = reg.offsets()
    for idx in itertools.product(*(range(n) for n in reg.shape)):
        off = reg.interp_offset(int(offs[idx]))
        if off not in vec.buf.data:
            raise KernelRunError(f"the returned vector has no element {list(idx)} at sizes {sizes}")
        out[idx] = vec.buf.data[off]
    return out


def _dims(sig: Signature, sizes: dict) -> dict:
    return {k: v for k, v in sizes.items() if sig.param(k).role == "dimension"}


def _prove_case(analysis: Analysis, program: Program, run: _CRun, outputs, timeout: float):
    sig = analysis.signature
    sizes, symbols, expected = run.sizes, run.symbols, run.expected
    env = {**symbols, **run.scalars}
    shapes = {n: r.shape for n, r in run.regions.items()}

    def extents_of(st, env):
        try:
            return extents(st.lhs, st.rhs, lambda a: shapes.get(a.name, ()), shapes.get(st.lhs.name, ()))
        except ExtentError as e:
            raise _Malformed(str(e)) from None
    try:
        got = eval_program(program, env, extents_of, dtypes_of(sig), frozenset(sizes))
    except _Malformed as e:
        return "refuted", {"sizes": _dims(sig, sizes), "inputs": {}, "expected": {}, "got": {},
                           "reason": f"the program is not defined at these sizes: {e}"}
    diffs = []
    memo: dict = {}
    for name, want in expected.items():
        if outputs is not None and name not in outputs:
            continue
        have = got.get(name, symbols.get(name))
        if have is None:
            have = z3.Int(f"{name}!undefined")   # a returned value the program never defines
        w_arr, h_arr = np.asarray(want, dtype=object), np.asarray(have, dtype=object)
        for idx in itertools.product(*(range(n) for n in w_arr.shape)):
            w, h = w_arr[idx], h_arr[idx]
            real = S.is_real(w) or S.is_real(h)
            a, b = S.lift(w, real), S.lift(h, real)
            if _same(a, b):
                continue
            a, b = canonical_selects(a, memo), canonical_selects(b, memo)
            if _same(a, b):
                continue
            diffs.append((name, idx, a, b))
    if not diffs:
        return "proved", None
    deadline = time.monotonic() + timeout
    # every element at once; if the solver gives up, one element at a time (elements of
    # element-wise kernels share no inputs, and one small query is far easier than their union)
    groups = [diffs] + ([[d] for d in diffs] if len(diffs) > 1 else [])
    for k, group in enumerate(groups):
        left = deadline - time.monotonic()
        solver = z3.Solver()
        solver.set("timeout", max(1, int((left / 3 if k == 0 and len(groups) > 1 else left) * 1000)))
        solver.add(*_in_ranges(run.ranges))
        solver.add(*nonzero_divisors(t for _, _, a, b in group for t in (a, b)))
        solver.add(z3.Or([a != b for _, _, a, b in group]))
        answer = interruptible_check(solver)
        if answer == z3.sat:
            return "refuted", _counterexample(solver.model(), sig, sizes, symbols, expected, got, group)
        if answer == z3.unsat and k == 0:
            return "proved", None
        if answer == z3.unknown and (k > 0 or len(groups) == 1):
            return "unknown", f"the solver gave up at sizes {_dims(sig, sizes)}: {solver.reason_unknown()}"
    return "proved", None


def _same(a, b) -> bool:
    """Equal without the solver: the same term, the same after z3's simplification (sums
    flattened and ordered: one call, no blow-up), or small terms with the same
    sum-of-monomials normal form (which multiplies out, so only for small terms)."""
    return a.eq(b) or z3.simplify(a).eq(z3.simplify(b)) or \
        (_small(a) and _small(b) and _is_zero(z3.simplify(a - b, som=True, arith_lhs=True)))


_ORDER = {z3.Z3_OP_GT: ">", z3.Z3_OP_GE: ">", z3.Z3_OP_LT: "<", z3.Z3_OP_LE: "<"}


def canonical_selects(t, memo: dict):
    """The term with every max or min written as a select one way: `x > m ? x : m`,
    `fmax(m, x)` and a program's `max(m, x)` are one maximum, but three different selects
    (equal except where the two values are equal anyway). A maximum becomes `a >= b ? a : b`
    with a, b in the order of their ids, so that both sides of a proof agree on it."""
    key = t.get_id()
    if key in memo:
        return memo[key]
    out = t
    if z3.is_app(t) and t.num_args():
        kids = [canonical_selects(c, memo) for c in t.children()]
        if z3.is_app_of(t, z3.Z3_OP_ITE):
            out = _extremum(*kids)
        elif any(not k.eq(c) for k, c in zip(kids, t.children())):
            out = t.decl()(*kids)
    memo[key] = out
    return out


def _extremum(c, x, y):
    """`c ? x : y` as a canonical max or min of x and y when c compares them, else as it is."""
    op = _ORDER.get(c.decl().kind()) if z3.is_app(c) and c.num_args() == 2 else None
    if op is None or x.eq(y):
        return z3.If(c, x, y)
    p, q = c.children()
    if p.eq(x) and q.eq(y):
        bigger = op == ">"            # x chosen when x > y: the maximum
    elif p.eq(y) and q.eq(x):
        bigger = op == "<"            # x chosen when y < x: the maximum
    else:
        return z3.If(c, x, y)
    a, b = sorted((x, y), key=lambda e: e.get_id())
    return z3.If(a >= b, a, b) if bigger else z3.If(a <= b, a, b)


def _small(term, limit: int = 400) -> bool:
    """Whether a term has at most `limit` nodes (counted with sharing). Walked on z3's raw
    ASTs: a Python object per node costs more than the rest of a large proof."""
    ctx = term.ctx_ref()
    seen, todo = set(), [term.as_ast()]
    while todo:
        t = todo.pop()
        i = z3.Z3_get_ast_id(ctx, t)
        if i in seen:
            continue
        seen.add(i)
        if len(seen) > limit:
            return False
        if z3.Z3_get_ast_kind(ctx, t) == z3.Z3_APP_AST:
            app = z3.Z3_to_app(ctx, t)
            todo.extend(z3.Z3_get_app_arg(ctx, app, k) for k in range(z3.Z3_get_app_num_args(ctx, app)))
    return True


def _is_zero(d) -> bool:
    if z3.is_int_value(d):
        return d.as_long() == 0
    return z3.is_rational_value(d) and d.as_fraction() == 0


class _Malformed(Exception):
    pass


def _value(m, t):
    if not S.is_term(t):
        return t
    v = m.eval(t, model_completion=True)
    if z3.is_int_value(v):
        return v.as_long()
    if z3.is_rational_value(v):
        f = v.as_fraction()
        return int(f) if f.denominator == 1 else float(f)
    if z3.is_algebraic_value(v):
        return float(v.approx(12).as_fraction())
    return str(v)


def _counterexample(m, sig, sizes, symbols, expected, got, diffs) -> dict:
    def concrete(x):
        if isinstance(x, np.ndarray):
            return np.vectorize(lambda t: _value(m, t), otypes=[object])(x).tolist() if x.size else x.tolist()
        return _value(m, x)
    wrong = sorted({name for name, _, a, b in diffs if _value(m, a) != _value(m, b)}) \
        or sorted({name for name, *_ in diffs})
    inputs = {n: concrete(v) for n, v in symbols.items()
              if not (n in expected and sig.param(n).access == "write")}
    return {
        "sizes": _dims(sig, sizes),
        "inputs": inputs,
        "expected": {n: concrete(expected[n]) for n in wrong},
        "got": {n: concrete(got[n]) if n in got else concrete(symbols.get(n, expected[n])) for n in wrong},
    }
