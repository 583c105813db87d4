"""Bounded equivalence of a program with the C code, proved with z3.

For every combination of dimension sizes up to the bound (tied sizes stay tied, strides
dense), the C function runs in the interpreter on solver terms: every input element and
every value scalar is a fresh symbol, never a constant. The program is evaluated on the
same symbols. Every element of everything the C writes (and its returned value) must be
equal; an output the program does not define keeps its initial value, so a missing
statement is refuted too. Integers are mathematical integers with C's truncating `/` and
`%`; floating point is modelled as real arithmetic; `exp`, `sqrt` and the like are
uninterpreted functions, the same on both sides.
"""
from __future__ import annotations

import itertools
import time
from dataclasses import dataclass
from fractions import Fraction
from typing import Optional

import numpy as np
import z3

from ..c.analysis import Analysis
from ..errors import KernelRunError, TensorliftError, UnsupportedConstruct
from ..c.examples import Region
from ..c.frontend import DOUBLE, INT
from ..c.interp import Interpreter, Ops
from ..taco.ir import Access, BinOp, Call, Const, Expr, Neg, Program, accesses
from ..signature import Signature
from ..c.slots import ROW_PITCH, array_pointer, bind


@dataclass
class VerifyResult:
    verdict: str                         # "proved" | "refuted" | "unknown"
    bound: int
    model: str                           # "integers" | "reals"
    counterexample: Optional[dict] = None
    seconds: float = 0.0
    reason: Optional[str] = None         # why "unknown"
    cases: int = 0                       # size combinations proved

    def to_json(self) -> dict:
        d = {"verdict": self.verdict, "bound": self.bound, "model": self.model,
             "counterexample": self.counterexample, "seconds": round(self.seconds, 4)}
        if self.reason:
            d["reason"] = self.reason
        return d


# ---------------------------------------------------------------- arithmetic on terms


def _is_term(v) -> bool:
    return isinstance(v, z3.ExprRef)


def _lift(v, real: bool):
    if _is_term(v):
        if z3.is_bool(v):
            v = z3.If(v, 1, 0)
        return z3.ToReal(v) if real and v.sort() == z3.IntSort() else v
    if isinstance(v, bool):
        v = int(v)
    return z3.RealVal(Fraction(v)) if real or isinstance(v, float) else z3.IntVal(v)


def _is_real(v) -> bool:
    if _is_term(v):
        return v.sort() == z3.RealSort()
    return isinstance(v, float)


def c_div(a, b):
    """C's truncating integer division on z3 integers (z3's `/` is Euclidean)."""
    return z3.If(a >= 0, z3.If(b > 0, a / b, -(a / -b)), z3.If(b > 0, -((-a) / b), (-a) / (-b)))


def c_mod(a, b):
    return a - b * c_div(a, b)


def to_int(x):
    """C's conversion of a real to an integer: truncation toward zero."""
    return z3.If(x >= 0, z3.ToInt(x), -z3.ToInt(-x))


def math_function(name: str) -> z3.FuncDeclRef:
    """An uninterpreted function: z3 identifies declarations by name and sort, so `exp`
    in the C and `exp` in the program are the same symbol."""
    return z3.Function(name, z3.RealSort(), z3.RealSort())


def sym_arith(op: str, a, b):
    real = _is_real(a) or _is_real(b)
    x, y = _lift(a, real), _lift(b, real)
    if op == "+":
        return x + y
    if op == "-":
        return x - y
    if op == "*":
        return x * y
    if op == "/":
        return x / y if real else c_div(x, y)
    if op == "%" and not real:
        return c_mod(x, y)
    cmp = {"<": x < y, ">": x > y, "<=": x <= y, ">=": x >= y, "==": x == y, "!=": x != y}
    if op in cmp:
        return cmp[op]
    raise UnsupportedConstruct(f"operator '{op}' on symbolic values")


class SymbolicOps(Ops):
    """C arithmetic where values may be z3 terms. Control flow must not depend on them."""

    def arith(self, op, a, b):
        if not (_is_term(a) or _is_term(b)):
            return super().arith(op, a, b)
        return sym_arith(op, a, b)

    def neg(self, a):
        return -_lift(a, False) if _is_term(a) else -a

    def truth(self, v) -> bool:
        if not _is_term(v):
            return v != 0
        cond = v if z3.is_bool(v) else v != 0
        s = z3.simplify(cond)
        if z3.is_true(s):
            return True
        if z3.is_false(s):
            return False
        raise UnsupportedConstruct("control flow that depends on array values")

    def decided(self, v) -> bool:
        if not _is_term(v):
            return True
        s = z3.simplify(v if z3.is_bool(v) else v != 0)
        return z3.is_true(s) or z3.is_false(s)

    def select(self, cond, a, b):
        real = _is_real(a) or _is_real(b)
        c = cond if z3.is_bool(cond) else cond != 0
        return z3.If(c, _lift(a, real), _lift(b, real))

    def not_(self, a):
        if _is_term(a):
            return z3.Not(a if z3.is_bool(a) else a != 0)
        return int(not a)

    def convert(self, v, t):
        if not _is_term(v):
            return super().convert(v, t)
        if z3.is_bool(v):
            v = z3.If(v, 1, 0)
        if t.name == "int" and v.sort() == z3.RealSort():
            return to_int(v)
        if t.name in ("float", "double") and v.sort() == z3.IntSort():
            return z3.ToReal(v)
        return v

    def call(self, name, args):
        if not any(_is_term(a) for a in args):
            return super().call(name, args)
        base = name.rstrip("f") if name not in ("f",) else name
        if base in ("fmax", "max") and len(args) == 2:
            return self.select(sym_arith(">", args[0], args[1]), args[0], args[1])
        if base in ("fmin", "min") and len(args) == 2:
            return self.select(sym_arith("<", args[0], args[1]), args[0], args[1])
        if base in ("fabs", "abs") and len(args) == 1:
            return self.select(sym_arith("<", args[0], 0), self.neg(args[0]), args[0])
        if len(args) == 1:
            return math_function(base)(_lift(args[0], True))
        raise UnsupportedConstruct(f"call to '{name}' on symbolic values")


# ---------------------------------------------------------------- the program on terms


def _homes(rhs: Expr, keep: tuple[str, ...]) -> dict[int, list[str]]:
    """Where TACO sums each reduction variable: the smallest subexpression holding every
    use of it (node id -> variables summed there)."""
    total: dict[str, int] = {}
    for a in accesses(rhs):
        for v in a.indices:
            total[v] = total.get(v, 0) + 1
    homes: dict[int, list[str]] = {}

    def count(e) -> dict[str, int]:
        if isinstance(e, Access):
            c: dict[str, int] = {}
            for v in e.indices:
                c[v] = c.get(v, 0) + 1
            kids = []
        else:
            kids = [count(k) for k in _children(e)]
            c = {}
            for k in kids:
                for v, n in k.items():
                    c[v] = c.get(v, 0) + n
        homes[id(e)] = [v for v, n in c.items() if v not in keep and n == total[v]
                        and not any(k.get(v, 0) == total[v] for k in kids)]
        return c
    count(rhs)
    return homes


def _children(e: Expr) -> list[Expr]:
    if isinstance(e, BinOp):
        return [e.left, e.right]
    if isinstance(e, Neg):
        return [e.operand]
    if isinstance(e, Call):
        return list(e.args)
    return []


def eval_program(program: Program, env: dict, extents_of, dtypes: dict[str, str]) -> dict:
    """Final values of the program's outputs on terms (arrays as object ndarrays)."""
    env = dict(env)
    out: dict = {}
    for st in program.statements:
        rhs, lhs = st.rhs, st.lhs
        ext = extents_of(st, env)
        homes = _homes(rhs, lhs.indices)
        real_out = dtypes.get(lhs.name, "int") != "int"
        shape = tuple(ext[v] for v in lhs.indices)
        result = np.empty(shape, dtype=object)
        for idx in itertools.product(*(range(n) for n in shape)):
            binding = dict(zip(lhs.indices, idx))
            v = _eval(rhs, binding, env, ext, homes)
            if st.accumulate:
                old = env.get(lhs.name, 0)      # a returned value starts at zero, as in `evaluate`
                old = old[idx] if isinstance(old, np.ndarray) else old
                v = sym_arith("+", old, v)
            v = SymbolicOps().convert(v, DOUBLE if real_out else INT)
            result[idx] = v
        value = result if lhs.indices else result[()]
        env[lhs.name] = out[lhs.name] = value
    return out


def _eval(e: Expr, binding: dict, env: dict, ext: dict, homes: dict):
    summed = [v for v in homes.get(id(e), []) if v not in binding]
    if summed:
        total = None
        for vals in itertools.product(*(range(ext[v]) for v in summed)):
            b = dict(binding)
            b.update(zip(summed, vals))
            term = _eval_here(e, b, env, ext, homes)
            total = term if total is None else sym_arith("+", total, term)
        return 0 if total is None else total
    return _eval_here(e, binding, env, ext, homes)


def _eval_here(e: Expr, binding, env, ext, homes):
    if isinstance(e, Const):
        return e.value
    if isinstance(e, Access):
        if e.name not in env:      # the returned value read before the program defines it
            raise _Malformed(f"'{e.name}' is read before it is defined")
        v = env[e.name]
        if isinstance(v, np.ndarray):   # an order-0 array is a 0-d ndarray of one term
            return v[tuple(binding[i] for i in e.indices)]
        return v
    if isinstance(e, Neg):
        return SymbolicOps().neg(_eval(e.operand, binding, env, ext, homes))
    if isinstance(e, BinOp):
        return sym_arith(e.op, _eval(e.left, binding, env, ext, homes), _eval(e.right, binding, env, ext, homes))
    if isinstance(e, Call):
        return SymbolicOps().call(e.func, [_eval(a, binding, env, ext, homes) for a in e.args])
    raise TensorliftError(f"cannot evaluate {e}")


# ---------------------------------------------------------------- the proof


def check_names(program: Program, sig: Signature) -> None:
    """A program that names unknown tensors or uses a wrong order is bad input."""
    orders = {p.name: len(p.shape or []) for p in sig.params if p.kind == "array"}
    scalars = {p.name for p in sig.params if p.kind == "scalar"}
    outputs = set(sig.outputs)
    for st in program.statements:
        if st.lhs.name not in outputs:
            raise TensorliftError(f"'{st.lhs.name}' is not an output of {sig.function} "
                                  f"(outputs: {', '.join(sig.outputs) or 'none'})")
        for a in [st.lhs, *accesses(st.rhs)]:
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


class Verifier:
    """Proves programs against one kernel; the C side is executed once per size
    combination and reused for every candidate."""

    def __init__(self, analysis: Analysis, bound: int = 3):
        if bound < 1:
            raise TensorliftError("the verification bound must be at least 1")
        self.analysis = analysis
        self.bound = bound
        sig = analysis.signature
        reals = any(p.dtype != "int" for p in sig.params) or sig.returns in ("float", "double")
        self.model = "reals" if reals else "integers"
        self._runs: dict[tuple, _CRun] = {}

    def prove(self, program: Program, outputs: Optional[list[str]] = None, timeout: float = 60.0) -> VerifyResult:
        """`outputs`: compare only these (the statements found so far); default: all."""
        start = time.monotonic()
        analysis = self.analysis
        check_names(program, analysis.signature)
        free = analysis.free_dims
        result = VerifyResult("proved", self.bound, self.model)
        deadline = start + timeout
        for values in itertools.product(range(1, self.bound + 1), repeat=len(free)):
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                result.verdict, result.reason = "unknown", f"time limit reached after {result.cases} size combinations"
                break
            try:
                run = self._run(values)
                verdict, cex = _prove_case(analysis, program, run, outputs, remaining)
            except UnsupportedConstruct as e:
                result.verdict, result.reason = "unknown", str(e)
                break
            except KernelRunError as e:
                result.verdict, result.reason = "unknown", f"symbolic execution failed: {e}"
                break
            if verdict != "proved":
                result.verdict = verdict
                if verdict == "refuted":
                    result.counterexample = cex
                else:
                    result.reason = cex
                break
            result.cases += 1
        result.seconds = time.monotonic() - start
        return result

    def _run(self, values: tuple) -> _CRun:
        if values not in self._runs:
            sizes = self.analysis.sizes(dict(zip(self.analysis.free_dims, values)))
            self._runs[values] = _execute(self.analysis, sizes)
        return self._runs[values]


def _execute(analysis: Analysis, sizes: dict[str, int]) -> _CRun:
    sig = analysis.signature
    k = analysis.kernel
    symbols: dict[str, object] = {}
    scalars: dict[str, object] = {}
    arrays, buffers, regions = {}, {}, {}
    for s in analysis.slots:
        mk = z3.Real if s.dtype != "int" else z3.Int
        if s.kind == "scalar":
            scalars[s.name] = sizes[s.name] if s.name in sizes else mk(s.name)
            if s.name not in sizes:
                symbols[s.name] = scalars[s.name]
            continue
        reg = regions[s.name] = Region.of(analysis.layouts[s.name], sizes)
        init = np.empty(reg.shape, dtype=object)
        where = {}
        offs = reg.offsets()
        for idx in itertools.product(*(range(n) for n in reg.shape)):
            init[idx] = mk(f"{s.name}[{','.join(map(str, idx))}]" if idx else s.name)
            where[reg.interp_offset(int(offs[idx]))] = init[idx]
        symbols[s.name] = init

        def fresh(off, where=where, name=s.name, mk=mk):
            return where[off] if off in where else mk(f"{name}@{off}")
        arrays[s.name], buffers[s.name] = array_pointer(k, s, fresh, trace=None)
    ret = Interpreter(k, SymbolicOps()).call(bind(k, analysis.slots, scalars, arrays))
    expected: dict[str, object] = {}
    for s in analysis.slots:
        if s.kind != "array" or sig.param(s.name).access == "read":
            continue
        reg = regions[s.name]
        final = symbols[s.name].copy()
        offs = reg.offsets()
        data = buffers[s.name].data
        for idx in itertools.product(*(range(n) for n in reg.shape)):
            off = reg.interp_offset(int(offs[idx]))
            if off in data:
                final[idx] = data[off]
        expected[s.name] = final
    if sig.returns:
        expected[sig.function] = ret
    return _CRun(sizes, symbols, scalars, regions, expected)


def _prove_case(analysis: Analysis, program: Program, run: _CRun, outputs, timeout: float):
    sig = analysis.signature
    sizes, symbols, expected = run.sizes, run.symbols, run.expected
    env = {**symbols, **run.scalars}
    dtypes = {p.name: p.dtype for p in sig.params}
    if sig.returns:
        dtypes[sig.function] = sig.returns
    shapes = {n: r.shape for n, r in run.regions.items()}

    def extents_of(st, env):
        ext: dict[str, int] = {}
        for a in [*accesses(st.rhs), st.lhs]:
            for v, n in zip(a.indices, shapes.get(a.name, ())):
                if ext.setdefault(v, n) != n:
                    raise _Malformed(f"index '{v}' has extents {ext[v]} and {n}")
        return ext
    try:
        got = eval_program(program, env, extents_of, dtypes)
    except _Malformed as e:
        dims = {k: v for k, v in sizes.items() if sig.param(k).role == "dimension"}
        return "refuted", {"sizes": dims, "inputs": {}, "expected": {}, "got": {},
                           "reason": f"the program is not defined at these sizes: {e}"}
    diffs = []
    for name, want in expected.items():
        if outputs is not None and name not in outputs:
            continue
        have = got.get(name, symbols.get(name))
        if have is None:
            have = z3.Int(f"{name}!undefined")   # a returned value the program never defines
        w_arr, h_arr = np.asarray(want, dtype=object), np.asarray(have, dtype=object)
        for idx in itertools.product(*(range(n) for n in w_arr.shape)):
            w, h = w_arr[idx], h_arr[idx]
            real = _is_real(w) or _is_real(h)
            a, b = _lift(w, real), _lift(h, real)
            d = z3.simplify(a - b, som=True, arith_lhs=True)
            if not _is_zero(d):
                diffs.append((name, idx, a, b))
    if not diffs:
        return "proved", None
    solver = z3.Solver()
    solver.set("timeout", max(1, int(timeout * 1000)))
    solver.add(z3.Or([a != b for _, _, a, b in diffs]))
    answer = solver.check()
    if answer == z3.unsat:
        return "proved", None
    if answer == z3.unknown:
        return "unknown", f"the solver gave up at sizes {sizes}: {solver.reason_unknown()}"
    return "refuted", _counterexample(solver.model(), sig, sizes, symbols, expected, got, diffs)


def _is_zero(d) -> bool:
    if z3.is_int_value(d):
        return d.as_long() == 0
    return z3.is_rational_value(d) and d.as_fraction() == 0


class _Malformed(Exception):
    pass


def _value(m, t):
    if not _is_term(t):
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
        "sizes": {k: v for k, v in sizes.items() if sig.param(k).role == "dimension"},
        "inputs": inputs,
        "expected": {n: concrete(expected[n]) for n in wrong},
        "got": {n: concrete(got[n]) if n in got else concrete(symbols.get(n, expected[n])) for n in wrong},
    }

