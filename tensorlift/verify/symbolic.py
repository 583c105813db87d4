"""C arithmetic on z3 terms, for running the interpreter and evaluating programs symbolically.

Signed `int` and `long` are mathematical integers (their overflow is undefined in C, so a
kernel that relies on it has no meaning to preserve); unsigned types wrap modulo 2**bits, and
a conversion to a narrower integer type wraps to its width, as on the machine. `/` and `%` on
integers truncate toward zero. Floating point is real arithmetic; libm functions are
uninterpreted functions of the reals, the same symbol in the C and in the program.
"""
from __future__ import annotations

import math
from fractions import Fraction
from typing import Optional

import z3

from .. import carith
from ..c.interp import MATH, Ops, math_name
from ..errors import UnsupportedConstruct
from ..taco import ops
from ..taco.ir import BinOp, Call, Expr, Neg, Not


# z3 takes Ctrl-C for itself while it works (the query ends as "unknown" and the run goes
# on): off, so that SIGINT reaches Python and stops tensorlift (`prove.interruptible_check`).
z3.set_param("ctrl_c", False)

_COMPARE = {"<": lambda a, b: a < b, ">": lambda a, b: a > b, "<=": lambda a, b: a <= b,
            ">=": lambda a, b: a >= b, "==": lambda a, b: a == b, "!=": lambda a, b: a != b}


def is_term(v) -> bool:
    return isinstance(v, z3.ExprRef)


def lift(v, real: bool):
    """A Python number or a term, as a term of sort Real (`real`) or Int."""
    if is_term(v):
        if z3.is_bool(v):
            v = z3.If(v, 1, 0)
        return z3.ToReal(v) if real and v.sort() == z3.IntSort() else v
    if isinstance(v, bool):
        v = int(v)
    if isinstance(v, float) and not math.isfinite(v):
        raise UnsupportedConstruct("a floating-point value that is not a real number (the C divides by "
                                   "zero at some sizes of the proof)")
    return z3.RealVal(Fraction(v)) if real or isinstance(v, float) else z3.IntVal(v)


def sort_kind(v) -> int:
    """A term's sort (z3.Z3_INT_SORT, Z3_REAL_SORT, Z3_BOOL_SORT, ...), read off the raw AST:
    a sort object per call is most of a symbolic run's time."""
    ctx = v.ctx_ref()
    return z3.Z3_get_sort_kind(ctx, z3.Z3_get_sort(ctx, v.as_ast()))


def is_real(v) -> bool:
    if is_term(v):
        return sort_kind(v) == z3.Z3_REAL_SORT
    return isinstance(v, float)


def c_div(a, b):
    """C's truncating integer division on z3 integers (z3's `/` is Euclidean)."""
    return z3.If(a >= 0, z3.If(b > 0, a / b, -(a / -b)), z3.If(b > 0, -((-a) / b), (-a) / (-b)))


def c_mod(a, b):
    return a - b * c_div(a, b)


def to_int(x):
    """C's conversion of a real to an integer: truncation toward zero."""
    return z3.If(x >= 0, z3.ToInt(x), -z3.ToInt(-x))


def wrap(v, dtype: str):
    """An integer term converted to an integer type: unsigned and narrow types wrap."""
    bits, signed = carith.INT_TYPES[dtype]
    if dtype == "bool":
        return z3.If(v != 0, 1, 0)
    if signed and bits >= 32:
        return v
    m = 1 << bits
    return v % m if not signed else (v + m // 2) % m - m // 2


def math_function(name: str, arity: int = 1) -> z3.FuncDeclRef:
    """An uninterpreted function: z3 identifies declarations by name and sort, so `exp`
    in the C and `exp` in the program are the same symbol."""
    return z3.Function(name, *([z3.RealSort()] * (arity + 1)))


def arith(op: str, a, b):
    """`+ - * / %` and comparisons on terms, real if either side is (on two numbers, the
    number C computes: comparisons give 0 or 1)."""
    if not (is_term(a) or is_term(b)):
        if op in _COMPARE:
            return int(_COMPARE[op](a, b))
        if op == "/" and isinstance(a, int) and isinstance(b, int):
            return carith.c_div(a, b) if b else ops.INT_DIVISION_BY_ZERO
        if op == "%" and isinstance(a, int) and isinstance(b, int):
            return carith.c_mod(a, b) if b else ops.INT_DIVISION_BY_ZERO
        return {"+": a + b, "-": a - b, "*": a * b, "/": a / b if b else float("nan")}[op]
    real = is_real(a) or is_real(b)
    x, y = lift(a, real), lift(b, real)
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
    if op in _COMPARE:
        return _COMPARE[op](x, y)
    raise UnsupportedConstruct(f"operator '{op}' on symbolic values")


def logic(op: str, a, b=None):
    """`&&`, `||`, `!` on truth values that may be terms (as C's: 0 or 1)."""
    def truth(v):
        return (v if z3.is_bool(v) else v != 0) if is_term(v) else v != 0
    if op == "!":
        return z3.Not(truth(a)) if is_term(a) else int(not truth(a))
    if not (is_term(a) or is_term(b)):
        return int(truth(a) and truth(b)) if op == "&&" else int(truth(a) or truth(b))
    return z3.And(truth(a), truth(b)) if op == "&&" else z3.Or(truth(a), truth(b))


def select(cond, a, b):
    real = is_real(a) or is_real(b)
    c = cond if z3.is_bool(cond) else cond != 0
    return z3.If(c, lift(a, real), lift(b, real))


def convert(v, dtype: str):
    """A term converted as C converts a value to `dtype`."""
    kind = sort_kind(v)
    if kind == z3.Z3_BOOL_SORT:
        v, kind = z3.If(v, 1, 0), z3.Z3_INT_SORT
    if carith.is_float(dtype):
        return z3.ToReal(v) if kind == z3.Z3_INT_SORT else v
    if kind == z3.Z3_REAL_SORT:
        v = to_int(v)
    return wrap(v, dtype)


def call(name: str, args: list):
    """A libm or integer function on terms: min, max and abs exactly, the rest uninterpreted."""
    base = math_name(name) or name.replace("std::", "")
    op = ops.FUNCTIONS.get(ops.FROM_C.get(base, base))
    if op is not None and op.z3 == "exact" and len(args) == op.arity:
        return _EXACT[op.name](*args)
    power = _numeral(args[1]) if base == "pow" and len(args) == 2 else None
    if power is not None and float(power).is_integer() and 0 <= power <= 8:
        out = lift(1, True)
        for _ in range(int(power)):
            out = out * lift(args[0], True)
        return out
    numbers = [_numeral(a) for a in args]
    if base in MATH and None not in numbers:     # `sqrt(3)`: a number, as the C computes it
        return float(MATH[base](*map(float, numbers)))   # a number: constants fold in doubles, as in C
    if base in MATH:
        return math_function(base, len(args))(*[lift(a, True) for a in args])
    raise UnsupportedConstruct(f"call to '{name}' on symbolic values")


_EXACT = {
    "max": lambda a, b: select(arith(">", a, b), a, b),
    "min": lambda a, b: select(arith("<", a, b), a, b),
    "abs": lambda a: select(arith("<", a, 0), arith("-", 0, a), a),
}
"""The functions the table computes exactly on terms (`z3 == "exact"`), as selects."""


def _numeral(v):
    """A number, or a term that is one (a program's constants arrive lifted), as a Python
    number; None for any other term. `pow(y, 2)` must be `y*y` on both sides of a proof."""
    if not is_term(v):
        return v
    if z3.is_int_value(v):
        return v.as_long()
    if z3.is_rational_value(v):
        return Fraction(v.as_fraction())
    return None


class SymbolicOps(Ops):
    """C arithmetic where values may be z3 terms. Control flow must not depend on them
    except through `if` and `?:`, which the interpreter merges. `types`: the C type of each
    input symbol, keyed by its AST id; converting it to a type that holds every value of it
    is the symbol itself."""

    def __init__(self, types: Optional[dict] = None):
        self.types = types or {}

    def arith(self, op, a, b, dtype, line):
        if not (is_term(a) or is_term(b)):
            return super().arith(op, a, b, dtype, line)
        if op not in ("+", "-", "*", "/", "%"):
            raise UnsupportedConstruct(f"operator '{op}' on array values", line)
        v = arith(op, a, b)
        return wrap(v, dtype) if carith.is_int(dtype) else v

    def compare(self, op, a, b):
        if not (is_term(a) or is_term(b)):
            return super().compare(op, a, b)
        return arith(op, a, b)

    def neg(self, a, dtype):
        if not is_term(a):
            return super().neg(a, dtype)
        v = -lift(a, is_real(a))
        return wrap(v, dtype) if carith.is_int(dtype) else v

    def bitnot(self, a, dtype):
        if is_term(a):
            raise UnsupportedConstruct("'~' on array values")
        return super().bitnot(a, dtype)

    def truth(self, v) -> bool:
        if not is_term(v):
            return v != 0
        s = z3.simplify(v if z3.is_bool(v) else v != 0)
        if z3.is_true(s):
            return True
        if z3.is_false(s):
            return False
        raise UnsupportedConstruct("control flow that depends on array values")

    def decided(self, v) -> bool:
        if not is_term(v):
            return True
        s = z3.simplify(v if z3.is_bool(v) else v != 0)
        return z3.is_true(s) or z3.is_false(s)

    def select(self, cond, a, b):
        if not is_term(cond):
            return a if cond else b
        return select(cond, a, b)

    def not_(self, a):
        if is_term(a):
            return z3.Not(a if z3.is_bool(a) else a != 0)
        return int(not a)

    def convert(self, v, dtype):
        if not is_term(v):
            return super().convert(v, dtype)
        held = self.types.get(v.get_id())
        if held is not None and carith.is_int(held) and carith.is_int(dtype):
            lo, hi = carith.bounds(held)
            tlo, thi = carith.bounds(dtype)
            if tlo <= lo and hi <= thi:
                return v
        return convert(v, dtype)

    def call(self, name, args, dtype, line):
        if not any(is_term(a) for a in args):
            return super().call(name, args, dtype, line)
        return call(name, args)


def apply(e: Expr, args: list):
    """An operator node of the notation (`-`, `!`, a binary operator, a function, `where`) on
    its children's values: numbers or terms, as both provers evaluate a program."""
    if isinstance(e, Neg):
        return arith("-", 0, args[0])
    if isinstance(e, Not):
        return logic("!", args[0])
    if isinstance(e, BinOp):
        return logic(e.op, *args) if e.op in ops.LOGICAL else arith(e.op, *args)
    assert isinstance(e, Call), e
    if e.func == "where":
        return select(*args) if is_term(args[0]) else (args[1] if args[0] else args[2])
    return call(e.func, [lift(x, is_real(x)) for x in args])
