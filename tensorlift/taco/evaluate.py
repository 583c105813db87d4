"""Evaluate TACO programs with NumPy: TACO's reduction rule, C's arithmetic, no element loops.

The search checks many thousands of candidates, so an intermediate value is an ndarray whose
axes are named by index variables (`(array, ("i", "j"))`); operands are broadcast by aligning
those names, and a product that is summed at once goes through `np.einsum`.

Semantics:
- An index variable of the right side that the left side lacks is summed at the smallest
  subexpression holding every use of it (`B(i,j)*c(j) + d(i)` sums j inside the `+`).
  A repeated index in one access (`A(i,i)`) walks the diagonal.
- Values of integer tensors (any C integer type) are int64, of "float"/"double" float64.
  Arithmetic types bottom-up as C does: int op int stays int (`/` truncates toward zero;
  a zero divisor gives what `ops.INT_DIVISION_BY_ZERO` says), anything with a float operand
  is float64; libm functions give float, `min`/`max`/`abs` keep an all-int type. Float
  division by zero gives inf/nan as IEEE (and C) does.
- Assigning converts like C: a float value stored into an integer tensor truncates toward zero
  (a non-finite or out-of-range value is an `EvalError`), and an integer wraps to the width of
  the tensor's C type (`uint8` keeps it modulo 256). "float" is held in float64, not rounded
  to single precision: examples compare floats with a tolerance.
- A name missing from `dtypes` takes the type of its value (in `env`, else of the right side);
  this is how `_` (an answer without a left side) is evaluated.
"""
from __future__ import annotations

from typing import Iterable, Mapping, Optional, Union

import numpy as np

from .. import carith
from . import ops
from .typing import ExtentError, extents
from .ir import Access, BinOp, Call, Const, Expr, Neg, Not, Program, Reduce, Statement, index_names, index_value
from .semantics import reduce_vars, reduction_homes, size_names

Value = Union[np.ndarray, int, float, np.generic]
Env = Mapping[str, Value]

_INT = np.dtype(np.int64)
_FLOAT = np.dtype(np.float64)
_INT_LIMIT = 2.0 ** 63


class EvalError(Exception):
    """The candidate has no value on this environment: unknown tensor, wrong order,
    inconsistent extents, unconvertible result. Cheap to raise so
    that a search can reject the candidate and move on."""


def _dtype(name: str, dtypes: Mapping[str, str], value: Optional[Value]) -> np.dtype:
    d = dtypes.get(name)
    if d in carith.INT_TYPES:
        return _INT
    if d in carith.FLOAT_TYPES:
        return _FLOAT
    if d is None and value is not None:
        return _INT if np.asarray(value).dtype.kind in "iub" else _FLOAT
    raise EvalError(f"no usable dtype for {name}: {d!r}")


def index_extents(target: Union[Expr, Statement], env: Env) -> dict[str, int]:
    """Extent of every index variable, by `typing.extents`, from the shapes of the tensors in
    `env` (the output's too, for a statement whose output is there). Unknown tensors, wrong
    orders and inconsistent extents are an `EvalError`."""
    def shape_of(a: Access):
        if a.name not in env:
            raise EvalError(f"unknown tensor {a.name}")
        shape = np.shape(env[a.name])
        if len(shape) != len(a.indices):
            raise EvalError(f"{a} has order {len(a.indices)} but {a.name} has order {len(shape)}")
        return shape
    lhs, rhs = (target.lhs, target.rhs) if isinstance(target, Statement) else (None, target)
    lhs_shape = shape_of(lhs) if lhs is not None and lhs.name in env else None
    try:
        return extents(lhs, rhs, shape_of, lhs_shape)
    except ExtentError as e:
        raise EvalError(str(e)) from None


def sizes_of(env: Env) -> frozenset:
    """The names of scalars: in an index expression, a size, not a variable."""
    return frozenset(k for k, v in env.items() if np.ndim(v) == 0)


_FUNCS = {n: getattr(np, o.numpy) for n, o in ops.FUNCTIONS.items() if o.arity == 1}
_BINARY = {n: getattr(np, o.numpy) for n, o in {**ops.BINARY, **ops.FUNCTIONS}.items() if o.arity == 2}
_REDUCE = {n: getattr(np, o.numpy) for n, o in ops.REDUCTIONS.items()}


class _Evaluator:
    """One right-hand side: values are arrays whose axes are named by index variables; TACO's
    reduction rule and explicit reductions as `semantics` says."""

    def __init__(self, expr: Expr, env: Env, dtypes: Mapping[str, str], keep: frozenset[str],
                 extents: Mapping[str, int], inside=None):
        self.env, self.dtypes, self.keep, self.extents = env, dtypes, keep, extents
        self.inside = inside        # (mask, its variables): the elements a statement's domain covers
        self.sizes = size_names(expr, keep, sizes_of(env))
        self.homes = reduction_homes(expr, keep, self.sizes)

    def load(self, a: Access) -> np.ndarray:
        if a.name not in self.env:
            raise EvalError(f"unknown tensor {a.name}")
        value = self.env[a.name]
        arr = np.asarray(value, dtype=_dtype(a.name, self.dtypes, value))
        if arr.ndim != len(a.indices):
            raise EvalError(f"{a} has order {len(a.indices)} but {a.name} has order {arr.ndim}")
        return arr

    def run(self, e: Expr) -> tuple[np.ndarray, tuple[str, ...]]:
        arr, names = self.value(e)
        summed = [v for v in self.homes.get(id(e), ()) if v in names]
        if summed and not (isinstance(e, Access) or isinstance(e, BinOp) and e.op == "*"):
            arr = np.sum(arr, axis=tuple(names.index(v) for v in summed))
            names = tuple(v for v in names if v not in summed)
        return arr, names

    def value(self, e: Expr) -> tuple[np.ndarray, tuple[str, ...]]:
        summed = self.homes.get(id(e), ())
        if isinstance(e, Access) and not e.indices and e.name in self.keep and e.name in self.extents:
            return np.arange(self.extents[e.name]), (e.name,)   # a left-side index as a number
        if isinstance(e, Access):
            if not all(isinstance(i, str) for i in e.indices):
                return self.gather(e, summed)
            arr, names = self.load(e), e.indices
            cut = tuple(slice(0, self.extents.get(v, n)) for v, n in zip(names, arr.shape))
            if any(c.stop > n for c, n in zip(cut, arr.shape)):
                raise EvalError(f"{e} runs past the end of {e.name}")
            if any(c.stop < n for c, n in zip(cut, arr.shape)):
                arr = arr[cut]                   # the part of a larger array the left side covers
            unique = tuple(dict.fromkeys(names))
            if summed or len(unique) < len(names):
                out = tuple(v for v in unique if v not in summed)
                ids = {v: k for k, v in enumerate(unique)}
                arr = np.einsum(arr, [ids[v] for v in names], [ids[v] for v in out])
                names = out
            return arr, names
        if isinstance(e, Const):
            return np.asarray(e.value, dtype=_FLOAT if isinstance(e.value, float) else _INT), ()
        if isinstance(e, Neg):
            arr, names = self.run(e.operand)
            return -arr, names
        if isinstance(e, Not):
            arr, names = self.run(e.operand)
            return (arr == 0).astype(_INT), names
        if isinstance(e, BinOp):
            if e.op == "*" and summed:
                return self.combine("*", [self.run(e.left), self.run(e.right)], summed)
            return self.combine(e.op, [self.run(e.left), self.run(e.right)], ())
        if isinstance(e, Call):
            args = [self.run(x) for x in e.args]
            if e.func in _FUNCS:
                if len(args) != 1:
                    raise EvalError(f"{e.func} takes one argument")
                arr, names = args[0]
                return _FUNCS[e.func](arr.astype(_FLOAT) if ops.FUNCTIONS[e.func].result == "float" else arr), names
            if e.func in _BINARY and len(args) == 2:
                return self.combine(e.func, args, ())
            if e.func == "where" and len(args) == 3:
                names = tuple(dict.fromkeys(v for _, n in args for v in n))
                c, a, b = (align(x, n, names) for x, n in args)
                if a.dtype != b.dtype:
                    a, b = a.astype(_FLOAT), b.astype(_FLOAT)
                return np.where(c != 0, a, b), names
            raise EvalError(f"unknown function {e.func} with {len(args)} arguments")
        if isinstance(e, Reduce):
            arr, names = self.run(e.body)
            rv = [v for v in reduce_vars(e, self.keep, self.sizes) if v in names]
            if any(np.shape(arr)[names.index(v)] == 0 for v in rv) and e.op in ("max", "min"):
                raise EvalError(f"{e.op} over nothing")
            if rv:
                arr = _REDUCE[e.op](arr, axis=tuple(names.index(v) for v in rv))
                names = tuple(v for v in names if v not in rv)
            return np.asarray(arr), names
        raise EvalError(f"not an expression: {e!r}")

    def gather(self, a: Access, summed) -> tuple[np.ndarray, tuple[str, ...]]:
        """An access with index expressions: every index computed on the grid of the
        variables it uses, out-of-range positions an EvalError."""
        arr = self.load(a)
        names = tuple(dict.fromkeys(v for i in a.indices for v in index_names(i) if v not in self.sizes))
        missing = [v for v in names if v not in self.extents]
        if missing:
            raise EvalError(f"extent of {', '.join(missing)} unknown in {a}")
        shape = [self.extents[v] for v in names]
        grids = {v: np.arange(n).reshape([n if k == j else 1 for j in range(len(names))])
                 for k, (v, n) in enumerate(zip(names, shape))}
        pos = [self.index(i, grids) for i in a.indices]
        outside = np.zeros(shape, dtype=bool)
        for p, n in zip(pos, arr.shape):
            outside |= (p < 0) | (p >= n)
        if np.any(outside):
            if 0 in arr.shape or not self.never_stored(outside, names):
                raise EvalError(f"{a} reaches outside {a.name}")
            pos = [np.clip(p, 0, n - 1) for p, n in zip(pos, arr.shape)]
        out = arr[tuple(np.broadcast_to(p, shape) for p in pos)] if pos else arr
        if summed:
            out = np.sum(out, axis=tuple(names.index(v) for v in summed if v in names))
            names = tuple(v for v in names if v not in summed)
        return out, names

    def never_stored(self, outside: np.ndarray, names: tuple[str, ...]) -> bool:
        """Whether every position in `outside` (over `names`) is outside the statement's
        domain: `b(i) = a(i-1) for i >= 1` never reads a(-1), though the value is computed
        for the whole grid before the domain picks the elements it stores."""
        if self.inside is None:
            return False
        mask, lhs = self.inside
        dropped = tuple(k for k, v in enumerate(lhs) if v not in names)
        if dropped:            # the value does not vary along them: stored if any is inside
            mask = np.any(mask, axis=dropped)
        kept = tuple(v for v in lhs if v in names)
        return not np.any(outside & align(mask, kept, names))

    def index(self, i, grids):
        return np.asarray(index_value(i, lambda v: grids[v] if v in grids else int(self.env[v])))

    def combine(self, op: str, args: list[tuple[np.ndarray, tuple[str, ...]]],
                summed: tuple[str, ...]) -> tuple[np.ndarray, tuple[str, ...]]:
        """Apply a binary operator; a product with sums placed at it goes through einsum."""
        names = tuple(dict.fromkeys(v for _, n in args for v in n))
        if op == "*" and summed:
            ids = {v: k for k, v in enumerate(names)}
            out = tuple(v for v in names if v not in summed)
            (a, an), (b, bn) = args
            arr = np.einsum(a, [ids[v] for v in an], b, [ids[v] for v in bn],
                            [ids[v] for v in out])
            return arr, out
        arr = align(*args[0], names)
        for b, bn in args[1:]:
            arr = apply_op(op, arr, align(b, bn, names))
        return arr, names


def align(arr: np.ndarray, names: tuple[str, ...], target: tuple[str, ...]) -> np.ndarray:
    """View `arr` (axes `names`) with axes in `target` order, size 1 where a name is missing."""
    if names == target:
        return arr
    if names == target[: len(names)]:
        return np.reshape(arr, np.shape(arr) + (1,) * (len(target) - len(names)))
    order = sorted(range(len(names)), key=lambda k: target.index(names[k]))
    arr = np.transpose(arr, order)
    present = {names[k]: np.shape(arr)[pos] for pos, k in enumerate(order)}
    return np.reshape(arr, tuple(present.get(v, 1) for v in target))


def apply_op(op: str, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """A binary operator or two-argument function, element-wise, with C's types: a
    condition is 0 or 1, `pow` is computed in float, `/` on integers truncates."""
    o = ops.BINARY.get(op) or ops.FUNCTIONS.get(op)
    if o is None or o.arity != 2:
        raise EvalError(f"unknown operator {op}")
    if o.result == "float":
        a, b = a.astype(_FLOAT), b.astype(_FLOAT)
    if op == "/" and a.dtype.kind == "i" and b.dtype.kind == "i":
        return _int_divide(a, b)
    if o.z3 == "logic":
        a, b = a != 0, b != 0
    out = _BINARY[op](a, b)
    return out.astype(_INT) if o.result == "bool" else out


def _int_divide(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """C's `/` on integers: truncates toward zero (NumPy's `//` floors); a zero divisor as
    `ops.INT_DIVISION_BY_ZERO` says."""
    safe = np.where(b == 0, 1, b)
    return np.where(b == 0, ops.INT_DIVISION_BY_ZERO, carith.c_div_array(a, safe))


def evaluate_expr(expr: Expr, env: Env, dtypes: Mapping[str, str],
                  extents: Optional[Mapping[str, int]] = None,
                  keep: Iterable[str] = (), inside=None) -> tuple[np.ndarray, tuple[str, ...]]:
    """Value of `expr` over the variables left free, and those variables (axis order).

    `keep` names the variables never summed: the left side's indices for a right-hand side,
    plus, for a subexpression evaluated alone, the variables also used outside it. Every other
    variable is summed at the smallest subexpression holding all its uses, so the free
    variables returned are exactly the kept ones that occur. `extents`, when given, is trusted
    (it skips the consistency check; pass what `index_extents` returned). `inside`, for a
    statement with a domain: (mask, the left side's variables), the elements it stores; an
    index expression may leave its array only outside them."""
    with np.errstate(all="ignore"):
        if extents is None:
            extents = index_extents(expr, env)
        try:
            return _Evaluator(expr, env, dtypes, frozenset(keep), extents, inside).run(expr)
        except (ValueError, OverflowError) as err:  # shapes disagree, constant too big
            raise EvalError(str(err)) from None


def rhs_value(lhs: Access, rhs: Expr, env: Env, dtypes: Mapping[str, str],
              extents: Optional[Mapping[str, int]] = None, inside=None) -> np.ndarray:
    """The right side's value laid out over the left side's indices (broadcast over those it
    lacks), in the right side's own type: what `lhs = rhs` stores before conversion. `inside`:
    the domain's mask over the left side's indices, where the value is stored."""
    if len(set(lhs.indices)) != len(lhs.indices):
        raise EvalError(f"repeated index on the left side: {lhs}")
    if extents is None:
        extents = index_extents(Statement(lhs, rhs), env)
    arr, names = evaluate_expr(rhs, env, dtypes, extents, keep=lhs.indices,
                               inside=None if inside is None else (inside, tuple(lhs.indices)))
    missing = [v for v in lhs.indices if v not in extents]
    if missing:
        raise EvalError(f"extent of {', '.join(missing)} unknown in {lhs}")
    arr = align(arr, names, lhs.indices)
    return np.broadcast_to(arr, tuple(extents[v] for v in lhs.indices))


def _convert(value: np.ndarray, ctype: Optional[str], dtype: np.dtype) -> np.ndarray:
    """Store as C does into a tensor of C type `ctype`: a float into an integer truncates
    toward zero, an integer wraps to the type's width. Always a fresh array."""
    if dtype.kind == "i" and value.dtype.kind == "f":
        if not np.all(np.isfinite(value)) or np.any(np.abs(value) >= _INT_LIMIT):
            raise EvalError("float value out of range of an int output")
        value = np.trunc(value).astype(_INT)
    out = np.array(value, dtype=dtype)
    if ctype in carith.INT_TYPES:
        out = carith.wrap_array(out, ctype)
    return out


def evaluate(program: Program, env: Env, dtypes: Mapping[str, str]) -> dict[str, Value]:
    """Run the statements in order on a copy of `env`; return the final value of every tensor
    the program assigns. Arrays come back as fresh ndarrays, order-0 results as NumPy scalars
    (`np.int64` / `np.float64`), never 0-d arrays. `lhs = rhs` replaces the whole output;
    `lhs += rhs` adds to its value in `env` (zero if absent), converting like C's `x = x + e`."""
    current = dict(env)
    results: dict[str, Value] = {}
    with np.errstate(all="ignore"):
        for st in program.statements:
            extents = index_extents(st, current)
            name = st.lhs.name
            mask = None
            if st.domain is not None:
                if name not in current:
                    raise EvalError(f"{name} has no value outside the domain of `{st}`")
                mask = rhs_value(st.lhs, st.domain, current, dtypes, extents) != 0
            value = rhs_value(st.lhs, st.rhs, current, dtypes, extents, mask)
            dtype = _dtype(name, dtypes, current.get(name, value))
            if st.accumulate:
                old = current.get(name, 0)
                value = np.asarray(old, dtype=_dtype(name, dtypes, old)) + value
            if mask is not None:                # elsewhere the output keeps its value
                value = np.where(mask, value, np.asarray(current[name]))
            out = _convert(value, dtypes.get(name), dtype)
            current[name] = results[name] = out[()] if out.ndim == 0 else out
    return results
