"""The IR of TACO index notation and its extension, shared by every stage.

Nodes are frozen dataclasses so they hash: the search keeps sets of them and
the evaluator caches on them. Printing gives the text that `taco.parse` reads back.

Plain TACO is sums of products: accesses `A(i,j)`, constants, `+ - * /`, unary minus, with
every right-side index variable absent on the left summed. The extension (a program that
plain TACO can express prints exactly as before) adds:
- reductions by sum, max, min and product over named variables: `max(j, A(i,j))`; without
  variables, over every variable not on the left: `max(x(i))`;
- comparisons `< > <= >= == !=`, `&&`, `||`, `!` and selects `where(cond, a, b)`;
- element functions `abs exp log sqrt pow floor ceil tanh` and two-argument `min`, `max`;
- affine index expressions: `x(i+j)`, `x(2*i+1)`, `x(n-1-i)`, `q(h*hs+i)`;
- a statement's domain: `C(i,j) = ... for j <= i` leaves the other elements as they were.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Optional, Union

from . import ops


@dataclass(frozen=True)
class Access:
    """A tensor access `A(i,j)`; a scalar (order-0 tensor) has no indices. An index is a
    variable name, or an affine expression over variables and sizes (`i+k`, `n-1-i`)."""
    name: str
    indices: tuple[Union[str, "Expr"], ...] = ()

    def __str__(self) -> str:
        if not self.indices:
            return self.name
        return f"{self.name}({','.join(str(i).replace(' ', '') for i in self.indices)})"


@dataclass(frozen=True)
class Const:
    value: Union[int, float]

    def __str__(self) -> str:
        return repr(self.value) if isinstance(self.value, float) else str(self.value)


@dataclass(frozen=True)
class Neg:
    operand: "Expr"

    def __str__(self) -> str:
        return f"-{_wrap(self.operand, ops.precedence('-', 1))}"


@dataclass(frozen=True)
class BinOp:
    op: str
    left: "Expr"
    right: "Expr"

    def __str__(self) -> str:
        p = _prec(self)
        # left-associative: the right operand needs brackets at equal precedence
        return f"{_wrap(self.left, p)} {self.op} {_wrap(self.right, p + 1)}"


@dataclass(frozen=True)
class Call:
    func: str
    args: tuple["Expr", ...]

    def __str__(self) -> str:
        return f"{self.func}({', '.join(str(a) for a in self.args)})"


@dataclass(frozen=True)
class Not:
    operand: "Expr"

    def __str__(self) -> str:
        return f"!{_wrap(self.operand, ops.precedence('!', 1))}"


@dataclass(frozen=True)
class Reduce:
    """`op(v1, ..., body)`: the body reduced by sum, max, min or product over the variables
    `vars`; with none, over every variable of the body that the left side lacks."""
    op: str
    vars: tuple[str, ...]
    body: "Expr"

    def __str__(self) -> str:
        return f"{self.op}({''.join(v + ', ' for v in self.vars)}{self.body})"


Expr = Union[Access, Const, Neg, BinOp, Call, Not, Reduce]


@dataclass(frozen=True)
class Statement:
    """`lhs = rhs`, or `lhs += rhs` when `accumulate` (adds to the existing output); with a
    `domain` (a condition on the left side's variables), only the elements it holds for."""
    lhs: Access
    rhs: Expr
    accumulate: bool = False
    domain: Optional[Expr] = None

    def __str__(self) -> str:
        text = f"{self.lhs} {'+=' if self.accumulate else '='} {self.rhs}"
        return text if self.domain is None else f"{text} for {self.domain}"

    @property
    def plain(self) -> bool:
        """Whether plain TACO (with the element functions min, max, exp, sqrt, abs) can
        express the statement."""
        return extension_used(self) is None


@dataclass(frozen=True)
class Program:
    """Statements run in order; a later one reads the values an earlier one wrote."""
    statements: tuple[Statement, ...]

    def __str__(self) -> str:
        return "; ".join(str(s) for s in self.statements)


Interval = tuple[Optional[int], Optional[int]]
"""Integers lo..hi, both included; None is unbounded."""


@dataclass(frozen=True)
class Condition:
    """Which values of integer parameters a case covers: a union of terms, each a conjunction of
    one set of intervals per key (`((("TA", ((0, 0),)), ("TB", ((None, -1), (1, None)))),)` is
    `TA == 0 and TB != 0`). A key is a flag, or an affine expression of sizes (`na-nb`, for
    the cases of a size check: `na-nb` in `((0, 0),)` is `na == nb`)."""
    terms: tuple[tuple[tuple[str, tuple[Interval, ...]], ...], ...]

    def holds(self, values: dict[str, int]) -> bool:
        return any(all(any(_inside(key_value(f, values), iv) for iv in ivs) for f, ivs in term)
                   for term in self.terms)

    def __str__(self) -> str:
        texts = [" and ".join(_flag_text(f, ivs) for f, ivs in term) or "True" for term in self.terms]
        return texts[0] if len(texts) == 1 else " or ".join(f"({t})" for t in texts)


def key_value(key: str, values: dict[str, int]) -> int:
    """The value of a condition's key: a flag's value, or an affine expression's."""
    if key in values:
        return values[key]
    return sum(c * (values[n] if n else 1) for n, c in key_terms(key))


@lru_cache(maxsize=None)
def key_terms(key: str) -> tuple[tuple[str, int], ...]:
    """`2*n-m+1` as ((n, 2), (m, -1), ("", 1)): names with coefficients, "" for the constant."""
    out = []
    for sign, term in re.findall(r"([+-]?)\s*([^+\-\s]+)", key):
        c, _, name = term.rpartition("*") if "*" in term else ("1", "", term)
        k = -int(c) if sign == "-" else int(c)
        out.append(("", k * int(name)) if name.isdigit() else (name, k))
    return tuple(out)


def _inside(v: int, iv: Interval) -> bool:
    lo, hi = iv
    return (lo is None or v >= lo) and (hi is None or v <= hi)


def compare_intervals(op: str, c: int) -> list[Interval]:
    """The values v with `v op c`."""
    return {"==": [(c, c)], "!=": [(None, c - 1), (c + 1, None)], "<=": [(None, c)], "<": [(None, c - 1)],
            ">=": [(c, None)], ">": [(c + 1, None)]}[op]


def intersect_intervals(a, b) -> list[Interval]:
    out = []
    for alo, ahi in a:
        for blo, bhi in b:
            lo = alo if blo is None else blo if alo is None else max(alo, blo)
            hi = ahi if bhi is None else bhi if ahi is None else min(ahi, bhi)
            if lo is None or hi is None or lo <= hi:
                out.append((lo, hi))
    return out


def complement_intervals(ivs) -> list[Interval]:
    """The values outside a union of intervals."""
    out: list[Interval] = [(None, None)]
    for lo, hi in ivs:
        outside = ([(None, lo - 1)] if lo is not None else []) + ([(hi + 1, None)] if hi is not None else [])
        out = intersect_intervals(out, outside)
    return out


def _flag_text(f: str, ivs: tuple[Interval, ...]) -> str:
    if len(ivs) == 2 and ivs[0][0] is None and ivs[1][1] is None and ivs[0][1] is not None \
            and ivs[1][0] == ivs[0][1] + 2:
        return _comparison(f, "!=", ivs[0][1] + 1)
    parts = []
    for lo, hi in ivs:
        if lo is not None and lo == hi:
            parts.append(_comparison(f, "==", lo))
        elif lo is None:
            parts.append(_comparison(f, "<=", hi))
        elif hi is None:
            parts.append(_comparison(f, ">=", lo))
        else:
            parts.append(f"{lo} <= {f} <= {hi}")
    return parts[0] if len(parts) == 1 else "(" + " or ".join(parts) + ")"


def _comparison(key: str, op: str, c: int) -> str:
    """`key op c`; for an affine key, with its negative terms on the right (`na-nb == 0` is
    `na == nb`, `n-m <= -1` is `n < m`)."""
    terms = key_terms(key)
    if len(terms) == 1 and terms[0][1] == 1:
        return f"{key} {op} {c}"
    if op == "<=" and c < 0:
        op, c = "<", c + 1
    elif op == ">=" and c > 0:
        op, c = ">", c - 1

    def side(ts):
        return " + ".join(n if k == 1 else f"{k}*{n}" for n, k in ts) or "0"
    left = side([(n, k) for n, k in terms if k > 0])
    right = side([(n, -k) for n, k in terms if k < 0])
    return f"{left} {op} {right}" + (f" + {c}" if c > 0 else f" - {-c}" if c < 0 else "")


@dataclass(frozen=True)
class Guarded:
    """One program per case of the kernel's flags (`if (TA) ... else ...` choosing loop nests):
    each case checked and proved on its own."""
    cases: tuple[tuple[Condition, Program], ...]

    @property
    def statements(self) -> tuple[Statement, ...]:
        return tuple(st for _, p in self.cases for st in p.statements)

    def __str__(self) -> str:
        lines = []
        for k, (cond, prog) in enumerate(self.cases):
            lines.append(f"{'if' if k == 0 else 'elif'} {cond}:")
            lines += [f"    {st}" for st in prog.statements] or ["    # nothing: the kernel computes nothing here"]
        return "\n".join(lines)


def _prec(e: Expr) -> int:
    if isinstance(e, BinOp):
        return ops.precedence(e.op) if e.op in ops.BINARY else 0
    if isinstance(e, Neg):
        return ops.precedence("-", 1)
    if isinstance(e, Not):
        return ops.precedence("!", 1)
    return 4


def _wrap(e: Expr, min_prec: int) -> str:
    return f"({e})" if _prec(e) < min_prec else str(e)


def children(e: Expr) -> list:
    if isinstance(e, BinOp):
        return [e.left, e.right]
    if isinstance(e, (Neg, Not)):
        return [e.operand]
    if isinstance(e, Call):
        return list(e.args)
    if isinstance(e, Reduce):
        return [e.body]
    return []


def nodes(e: Expr):
    """Every node of an expression, parents before children."""
    yield e
    for c in children(e):
        yield from nodes(c)


def map_children(e: Expr, f) -> Expr:
    """`e` rebuilt with `f` applied to each child expression, every other field kept (an
    access's indices are not children: they hold variables and sizes, not tensors)."""
    if isinstance(e, BinOp):
        return BinOp(e.op, f(e.left), f(e.right))
    if isinstance(e, Neg):
        return Neg(f(e.operand))
    if isinstance(e, Not):
        return Not(f(e.operand))
    if isinstance(e, Call):
        return Call(e.func, tuple(f(a) for a in e.args))
    if isinstance(e, Reduce):
        return Reduce(e.op, e.vars, f(e.body))
    return e


def transform(e: Expr, rule) -> Expr:
    """The one way to rewrite a tree: top down, `rule(node)` gives the node's replacement, or
    None to keep the node and rewrite its children."""
    new = rule(e)
    return new if new is not None else map_children(e, lambda c: transform(c, rule))


def transform_statement(st: Statement, rule) -> Statement:
    """A statement with `transform` applied to its left side, right side and domain; the
    other fields kept."""
    lhs = transform(st.lhs, rule)
    if not isinstance(lhs, Access):
        raise TypeError(f"a rewrite turned the left side {st.lhs} into {lhs}")
    domain = None if st.domain is None else transform(st.domain, rule)
    return replace(st, lhs=lhs, rhs=transform(st.rhs, rule), domain=domain)


def accesses(e: Expr):
    """Every tensor access in an expression, left to right (not the names inside index
    expressions, which are variables and sizes)."""
    if isinstance(e, Access):
        yield e
    for c in children(e):
        yield from accesses(c)


def index_names(index) -> list[str]:
    """The names an index uses: the variable, or the names of an index expression."""
    if isinstance(index, str):
        return [index]
    if isinstance(index, Access):
        return [index.name]
    return [n for c in children(index) for n in index_names(c)] if not isinstance(index, Const) else []


def index_value(index, value_of):
    """The value of an index expression (`i+k`, `n-1-i`), each name (index variable or size)
    given by `value_of`: numbers, NumPy grids or solver terms alike."""
    if isinstance(index, (str, Access)):
        return value_of(index if isinstance(index, str) else index.name)
    if isinstance(index, Const):
        return index.value
    if isinstance(index, Neg):
        return -index_value(index.operand, value_of)
    a, b = index_value(index.left, value_of), index_value(index.right, value_of)
    return a + b if index.op == "+" else a - b if index.op == "-" else a * b


def index_vars(e: Expr, sizes=frozenset()) -> set[str]:
    """The index variables of an expression (names in index expressions that are not sizes)."""
    return {v for a in accesses(e) for i in a.indices for v in index_names(i) if v not in sizes}


def is_index_value(a: Access, lhs: Access) -> bool:
    """A left-side variable used as a number (`where(j <= i, A(i,j), 0)`: the position), as
    the evaluator reads a bare name that is one of the left side's indices."""
    return not a.indices and a.name in lhs.indices


def extension_used(st: Statement) -> Optional[str]:
    """What in a statement plain TACO cannot express, named for an error message (None if
    nothing)."""
    if st.domain is not None:
        return f"the domain `for {st.domain}`"
    todo = [st.rhs]
    while todo:
        e = todo.pop()
        if isinstance(e, Access) and not all(isinstance(i, str) for i in e.indices):
            return f"the index expression in `{e}`"
        if isinstance(e, Access) and is_index_value(e, st.lhs):
            return f"the index {e.name} used as a value in `{st}` (plain TACO reads it as a tensor)"
        if isinstance(e, Reduce):
            return f"the {e.op} reduction `{e}`"
        if isinstance(e, Not) or (isinstance(e, BinOp) and e.op not in ops.ARITHMETIC):
            return f"the condition `{e}`"
        if isinstance(e, Call) and e.func not in ops.PLAIN_FUNCTIONS:
            return f"the function {e.func} in `{e}`"
        todo += children(e)
    return None

