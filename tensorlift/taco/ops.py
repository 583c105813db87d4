"""Every operator of the notation, once: the parser, the printer, the evaluator, the grammar,
the answer reader, the translation of C calls, the prover and the array back ends derive
their lists from this table.

An entry says how the notation writes the operator and what it means everywhere else:
- `form`: "infix" (`a + b`), "prefix" (`-a`, `!a`), "call" (`max(a, b)`), "reduce" (`max(j, e)`);
- `result`: the kind of its value: "promote" (int op int is int, anything with a float is
  float, as C's usual conversions), "float" (libm functions), "bool" (conditions, 0 or 1),
  "branches" (`where`: its second and third arguments promoted);
- `plain`: whether plain TACO has it (the taco target refuses the others by name);
- `numpy`, `torch`, `jax`: the library function that computes it element-wise (an infix
  operator is emitted as itself, the name is the ufunc the evaluator uses);
- `z3`: how the prover computes it on terms: "arith" (C's arithmetic, `symbolic.arith`),
  "logic" (`&&`, `||`, `!`), "select" (`where`), "exact" (min, max, abs as selects), "libm" (an
  uninterpreted function of the reals, the same symbol the C's call gives);
- `c`: the C (libm) spellings that mean it, `answer` the other names a model writes for it;
- `weight`: the static weight of its production in the grammar (None: the grammar does not
  offer it), `rank` the order of the grammar's function productions (the search tries
  productions of equal cost in that order); `precedence`: for printing, higher binds tighter.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional


@dataclass(frozen=True)
class Op:
    name: str
    arity: int
    form: str
    result: str
    plain: bool
    numpy: str
    torch: str
    jax: str
    z3: str
    precedence: int = 4
    c: tuple[str, ...] = ()
    answer: tuple[str, ...] = ()
    weight: Optional[float] = None
    rank: int = 0


def _infix(name, precedence, result, ufunc, z3="arith", plain=False):
    return Op(name, 2, "infix", result, plain, ufunc, ufunc, ufunc, z3, precedence)


def _libm(name, arity=1, plain=False, weight=None, rank=0, numpy=None, torch=None):
    return Op(name, arity, "call", "float", plain, numpy or name, torch or numpy or name, numpy or name, "libm",
              c=(name + "f",), weight=weight, rank=rank)


OPS: tuple[Op, ...] = (
    _infix("&&", -1, "bool", "logical_and", "logic"),
    _infix("||", -2, "bool", "logical_or", "logic"),
    _infix("<", 0, "bool", "less"),
    _infix(">", 0, "bool", "greater"),
    _infix("<=", 0, "bool", "less_equal"),
    _infix(">=", 0, "bool", "greater_equal"),
    _infix("==", 0, "bool", "equal"),
    _infix("!=", 0, "bool", "not_equal"),
    _infix("+", 1, "promote", "add", plain=True),
    _infix("-", 1, "promote", "subtract", plain=True),
    _infix("*", 2, "promote", "multiply", plain=True),
    _infix("/", 2, "promote", "divide", plain=True),
    Op("-", 1, "prefix", "promote", True, "negative", "negative", "negative", "arith", 3),
    Op("!", 1, "prefix", "bool", False, "logical_not", "logical_not", "logical_not", "logic", 3),
    Op("min", 2, "call", "promote", True, "minimum", "minimum", "minimum", "exact", c=("fmin", "fminf"),
       weight=0.3, rank=2),
    Op("max", 2, "call", "promote", True, "maximum", "maximum", "maximum", "exact", c=("fmax", "fmaxf"),
       weight=0.3, rank=1),
    Op("abs", 1, "call", "promote", True, "abs", "abs", "abs", "exact", c=("fabs", "fabsf", "labs", "llabs"),
       weight=0.3, rank=5),
    _libm("exp", plain=True, weight=0.3, rank=4),
    _libm("log"),
    _libm("sqrt", plain=True, weight=0.3, rank=3),
    _libm("pow", 2, numpy="power", torch="pow"),
    _libm("floor"),
    _libm("ceil"),
    _libm("tanh"),
    Op("where", 3, "call", "branches", False, "where", "where", "where", "select", answer=("select",)),
    Op("sum", 1, "reduce", "promote", True, "sum", "sum", "sum", "arith"),
    Op("max", 1, "reduce", "promote", False, "max", "amax", "max", "exact"),
    Op("min", 1, "reduce", "promote", False, "min", "amin", "min", "exact"),
    Op("prod", 1, "reduce", "promote", False, "prod", "prod", "prod", "arith"),
)

BINARY: dict[str, Op] = {o.name: o for o in OPS if o.form == "infix"}
UNARY: dict[str, Op] = {o.name: o for o in OPS if o.form == "prefix"}
FUNCTIONS: dict[str, Op] = {o.name: o for o in OPS if o.form == "call"}
REDUCTIONS: dict[str, Op] = {o.name: o for o in OPS if o.form == "reduce"}

ARITHMETIC = tuple(n for n, o in BINARY.items() if o.result == "promote")     # + - * /
COMPARISONS = tuple(n for n, o in BINARY.items() if o.result == "bool" and o.z3 == "arith")
LOGICAL = tuple(n for n, o in BINARY.items() if o.z3 == "logic")
ARITY = {n: o.arity for n, o in FUNCTIONS.items()}
FLOAT_FUNCTIONS = tuple(n for n, o in FUNCTIONS.items() if o.result == "float")
PLAIN_FUNCTIONS = tuple(n for n, o in FUNCTIONS.items() if o.plain)
GRAMMAR_FUNCTIONS = tuple(sorted((o for o in FUNCTIONS.values() if o.weight is not None), key=lambda o: o.rank))
"""The functions the grammar offers, in the order it offers them."""
FROM_C = {c: o.name for o in FUNCTIONS.values() for c in o.c}
"""A C call's name (`fabsf`, `fmax`) -> the notation's function."""
ALIASES = {**{n: n for n in FUNCTIONS}, **FROM_C, **{a: o.name for o in FUNCTIONS.values() for a in o.answer}}
"""Every name a model's answer may give a function -> the notation's function."""

INT_DIVISION_BY_ZERO = 0
"""The value of an integer `/` by zero in a program, in the evaluator, the emitted code and
constant folding alike. In C it is undefined, so a C run that works never uses such a value;
but a select computes both branches element-wise (`where(b(i) != 0, a(i) / b(i), 0)`), so a
division by zero must not stop the evaluation of a program. The interpreter of the C raises
instead (a run that divides by zero is no example), and the prover needs no value here: both
sides divide by the same term. A float division by zero is IEEE's inf or NaN, as in C; the
prover, which computes in the reals, assumes every real divisor nonzero (as the examples are)."""


def precedence(name: str, arity: int = 2) -> int:
    """The printing precedence of an infix (arity 2) or prefix (arity 1) operator."""
    return (BINARY if arity == 2 else UNARY)[name].precedence


__all__ = ["Op", "OPS", "BINARY", "UNARY", "FUNCTIONS", "REDUCTIONS", "ARITHMETIC", "COMPARISONS", "LOGICAL",
           "ARITY", "FLOAT_FUNCTIONS", "GRAMMAR_FUNCTIONS", "PLAIN_FUNCTIONS", "FROM_C", "ALIASES",
           "INT_DIVISION_BY_ZERO", "precedence"]
