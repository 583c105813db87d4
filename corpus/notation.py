"""The corpus's program notation, read and evaluated with tensorlift's own TACO pieces.

Plain programs are tensorlift's TACO (`tensorlift.taco.parse`). The README's extension goes
beyond the IR: `select(a < b, x, y)`, a one-argument `min`/`max` reduction, and index
expressions such as `x(i+k)` or `x(n-1-i)`. This module reads those into the IR with each
construct in place of an access, and evaluates a statement by first computing every such
construct as a stand-in tensor over its free index variables, then running the statement with
`tensorlift.taco.evaluate`. Sums, including those inside a construct's arguments, are always
placed by tensorlift (`taco/semantics.py`): TACO's reduction rule exists once. This module is
meant to go away when the IR has these constructs.
"""
from __future__ import annotations

import itertools
import re
from collections import Counter
from dataclasses import dataclass
from typing import Mapping, Union

import numpy as np

from tensorlift.errors import TensorliftError
from tensorlift.taco import parse as P
from tensorlift.taco.evaluate import EvalError, align, evaluate, evaluate_expr
from tensorlift.taco.ir import Access, BinOp, Call, Const, Expr, Neg, Program, Statement

COMPARE = {"<": np.less, ">": np.greater, "<=": np.less_equal, ">=": np.greater_equal,
           "==": np.equal, "!=": np.not_equal}

_TOKEN = re.compile(
    rf"(?P<ws>[ \t\r\f\v]+)|(?P<sep>[;\n])|(?P<num>{P.NUMBER})|(?P<name>{P.NAME})"
    r"|(?P<op>\+=|==|!=|<=|>=|[-+*/(),=<>])")


# ---------------------------------------------------------------- the constructs


@dataclass(frozen=True)
class Shifted:
    """An access with index expressions: `x(i+k)`, `x(n-1-i)` (names bound in the
    environment, such as `n`, are sizes; the others are index variables)."""
    name: str
    indices: tuple[Expr, ...]

    def __str__(self) -> str:
        return f"{self.name}({','.join(_tight(e) for e in self.indices)})"


@dataclass(frozen=True)
class Select:
    """`select(left op right, then, other)`, element-wise."""
    op: str
    left: Expr
    right: Expr
    then: Expr
    other: Expr

    def __str__(self) -> str:
        return f"select({self.left} {self.op} {self.right}, {self.then}, {self.other})"


@dataclass(frozen=True)
class Reduce:
    """`max(e)` / `min(e)`: reduces over the variables of `e` that the left side lacks."""
    func: str
    arg: Expr

    def __str__(self) -> str:
        return f"{self.func}({self.arg})"


EXTENDED = (Shifted, Select, Reduce)
Node = Union[Expr, Shifted, Select, Reduce]


def _tight(e: Expr) -> str:
    return str(e).replace(" ", "")


def parts(e: Node) -> list[Node]:
    """The direct subexpressions of a node (a Shifted access has none: its indices are not
    tensor expressions)."""
    if isinstance(e, BinOp):
        return [e.left, e.right]
    if isinstance(e, Neg):
        return [e.operand]
    if isinstance(e, Call):
        return list(e.args)
    if isinstance(e, Select):
        return [e.left, e.right, e.then, e.other]
    if isinstance(e, Reduce):
        return [e.arg]
    return []


def nodes(e: Node):
    """Every node of a tree, the node itself first."""
    yield e
    for p in parts(e):
        yield from nodes(p)


def is_extended(program: Program) -> bool:
    """Whether the program uses a construct tensorlift's IR does not have."""
    return any(isinstance(n, EXTENDED) for st in program.statements for n in nodes(st.rhs))


def names(program: Program) -> set[str]:
    """Every tensor and size name the program reads or writes (not index variables)."""
    out = set()
    for st in program.statements:
        out.add(st.lhs.name)
        for n in nodes(st.rhs):
            if isinstance(n, (Access, Shifted)):
                out.add(n.name)
            if isinstance(n, Shifted):
                out |= {a.name for ix in n.indices for a in nodes(ix)
                        if isinstance(a, Access) and not P.IDENT.fullmatch(a.name)}
    return out


# ---------------------------------------------------------------- reading


def tokenize(text: str) -> list[P.Token]:
    """`taco.parse.tokenize` plus the comparison operators."""
    tokens, pos, depth = [], 0, 0
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if m is None:
            raise TensorliftError(f"parse error at {P.position(text, pos)}: "
                                  f"unexpected character {text[pos]!r}")
        kind, s = m.lastgroup, m.group()
        pos = m.end()
        if kind == "ws" or (kind == "sep" and s == "\n" and depth > 0):
            continue
        depth = depth + 1 if s == "(" else max(0, depth - 1) if s == ")" else depth
        tokens.append(P.Token(kind, s, m.start()))
    tokens.append(P.Token("end", "", len(text)))
    return tokens


class Parser(P.Parser):
    """tensorlift's TACO grammar, plus `select`, one-argument min/max and index expressions."""

    def named(self, tok: P.Token) -> Node:
        if not self.at_op("("):
            return Access(tok.text)
        self.advance()
        if tok.text == "select":
            return self.select()
        if tok.text in ("min", "max"):
            args = self.arguments()
            if len(args) == 1:
                return Reduce(tok.text, args[0])
            if len(args) != 2:
                self.fail(f"{tok.text} takes one or two arguments", tok.pos)
            return self.made(Call(tok.text, tuple(args)))
        if tok.text in P.ARITY:
            return self.call(tok)
        indices = self.arguments() if not self.at_op(")") else []
        if not indices:
            self.advance()
        if all(isinstance(ix, Access) and not ix.indices and P.IDENT.fullmatch(ix.name)
               for ix in indices):
            return Access(tok.text, tuple(ix.name for ix in indices))
        return Shifted(tok.text, tuple(indices))

    def arguments(self) -> list[Node]:
        """Comma-separated expressions up to and including the closing ')'."""
        args = [self.expression()]
        while self.at_op(","):
            self.advance()
            args.append(self.expression())
        self.expect(")")
        return args

    def select(self) -> Select:
        left = self.expression()
        if isinstance(left, BinOp) and left.op in COMPARE:
            # a parser that reads comparisons itself (tensorlift's extended grammar)
            op, left, right = left.op, left.left, left.right
        else:
            tok = self.peek()
            if not (tok.kind == "op" and tok.text in COMPARE):
                self.fail(f"expected a comparison, found {tok.text!r}")
            op = self.advance().text
            right = self.expression()
        self.expect(",")
        then = self.expression()
        self.expect(",")
        other = self.expression()
        self.expect(")")
        return Select(op, left, right, then, other)


def parse(text: str) -> Program:
    """A program in the corpus notation; `TensorliftError` (with position) if it is not."""
    return Parser(tokenize(text), text).program()


# ---------------------------------------------------------------- evaluating


class _Statement:
    """One statement's constructs computed as stand-in tensors, innermost first."""

    def __init__(self, st: Statement, env: dict, dtypes: Mapping[str, str]):
        self.st, self.env, self.dtypes = st, env, dtypes
        self.lhs = set(st.lhs.indices)
        self.total = self.uses(st.rhs)
        self.extents = self.known_extents()
        self.made = 0

    def variables(self, ix: Node) -> list[str]:
        """Index variables of an index expression, in order (bound names are sizes)."""
        return [a.name for a in nodes(ix) if isinstance(a, Access) and a.name not in self.env]

    def uses(self, e: Node) -> Counter:
        count: Counter = Counter()
        for n in nodes(e):
            if isinstance(n, Access):
                count.update(n.indices)
            elif isinstance(n, Shifted):
                for ix in n.indices:
                    count.update(self.variables(ix))
        return count

    def known_extents(self) -> dict[str, int]:
        found: dict[str, int] = {}
        plain = [n for n in nodes(self.st.rhs) if isinstance(n, Access) and n.indices]
        if self.st.lhs.name in self.env:
            plain.append(self.st.lhs)
        for a in plain:
            if a.name in self.env and np.ndim(self.env[a.name]) == len(a.indices):
                for v, n in zip(a.indices, np.shape(self.env[a.name])):
                    found.setdefault(v, n)
        return found

    def kept(self, e: Node) -> frozenset:
        """Variables that must stay free in `e`: the left side's and those used outside it."""
        inside = self.uses(e)
        return frozenset(self.lhs | {v for v in inside if self.total[v] > inside[v]})

    def stand_in(self, value: np.ndarray, axes: tuple[str, ...]) -> Access:
        self.made += 1
        name = f"__construct{self.made}"
        self.env[name] = value
        return Access(name, axes)

    def lower(self, e: Node) -> Expr:
        """`e` with every construct replaced by a stand-in access."""
        if isinstance(e, BinOp):
            return BinOp(e.op, self.lower(e.left), self.lower(e.right))
        if isinstance(e, Neg):
            return Neg(self.lower(e.operand))
        if isinstance(e, Call):
            return Call(e.func, tuple(self.lower(a) for a in e.args))
        if isinstance(e, Shifted):
            return self.shifted(e)
        if isinstance(e, Reduce):
            return self.reduce(e)
        if isinstance(e, Select):
            return self.select(e)
        return e

    def value(self, e: Node) -> tuple[np.ndarray, tuple[str, ...]]:
        """`e` evaluated alone by tensorlift, summing what TACO sums inside it."""
        return evaluate_expr(self.lower(e), self.env, self.dtypes, keep=self.kept(e))

    def shifted(self, e: Shifted) -> Access:
        if e.name not in self.env:
            raise EvalError(f"unknown tensor {e.name}")
        arr = np.asarray(self.env[e.name])
        if arr.ndim != len(e.indices):
            raise EvalError(f"{e} has order {len(e.indices)} but {e.name} has order {arr.ndim}")
        axes = tuple(dict.fromkeys(v for ix in e.indices for v in self.variables(ix)))
        missing = [v for v in axes if v not in self.extents]
        if missing:
            raise EvalError(f"no extent for {', '.join(missing)} in {e}")
        grids = dict(zip(axes, np.ix_(*(np.arange(self.extents[v]) for v in axes)))) if axes else {}
        where = []
        for d, ix in enumerate(e.indices):
            at = self.index(ix, grids) + np.zeros([self.extents[v] for v in axes], dtype=np.int64)
            if at.size and (at.min() < 0 or at.max() >= arr.shape[d]):
                raise EvalError(f"{e} reads outside {e.name}")
            where.append(at)
        return self.stand_in(arr[tuple(where)], axes)

    def index(self, ix: Node, grids: dict) -> np.ndarray:
        """An index expression over the variables' grids: + - * of names and integers."""
        if isinstance(ix, Const) and isinstance(ix.value, int):
            return np.asarray(ix.value)
        if isinstance(ix, Access) and not ix.indices:
            return grids[ix.name] if ix.name in grids else np.asarray(int(self.env[ix.name]))
        if isinstance(ix, Neg):
            return -self.index(ix.operand, grids)
        if isinstance(ix, BinOp) and ix.op in "+-*":
            a, b = self.index(ix.left, grids), self.index(ix.right, grids)
            return a + b if ix.op == "+" else a - b if ix.op == "-" else a * b
        raise EvalError(f"index expression {ix} is not integer arithmetic")

    def reduce(self, e: Reduce) -> Access:
        inner = self.uses(e.arg)
        arr, axes = evaluate_expr(self.lower(e.arg), self.env, self.dtypes, keep=frozenset(inner))
        over = tuple(k for k, v in enumerate(axes) if v not in self.lhs)
        if over:
            arr = (np.max if e.func == "max" else np.min)(arr, axis=over)
        return self.stand_in(arr, tuple(v for v in axes if v in self.lhs))

    def select(self, e: Select) -> Access:
        try:
            values = [self.value(p) for p in parts(e)]
        except EvalError:
            return self.select_pointwise(e)
        axes = tuple(dict.fromkeys(v for _, names in values for v in names))
        left, right, then, other = (align(a, names, axes) for a, names in values)
        chosen = np.where(COMPARE[e.op](left, right), then, other)
        return self.stand_in(np.broadcast_to(chosen, [self.extents[v] for v in axes]).copy(), axes)

    def select_pointwise(self, e: Select) -> Access:
        """A select whose unchosen branch fails somewhere (an integer division by zero that
        the condition guards): each element evaluates only the branch it takes. Only for
        element-wise selects, where nothing is summed inside the arguments."""
        if any(set(self.uses(p)) - self.kept(p) for p in parts(e)):
            raise EvalError(f"{e} fails and sums inside its arguments")
        axes = tuple(self.uses(e))
        lowered = [self.lower(p) for p in parts(e)]
        at_names = {a: f"__at{k}" for k, a in enumerate(dict.fromkeys(
            a for p in lowered for a in nodes(p) if isinstance(a, Access)))}
        scalar = [_substitute(p, at_names) for p in lowered]
        shape = [self.extents[v] for v in axes]
        out = np.zeros(shape, dtype=np.int64)
        for point in itertools.product(*(range(n) for n in shape)):
            at = dict(zip(axes, point))
            env = dict(self.env)
            for a, name in at_names.items():
                env[name] = np.asarray(self.env[a.name])[tuple(at[v] for v in a.indices)]
            left, right = (evaluate_expr(x, env, self.dtypes)[0] for x in scalar[:2])
            v = evaluate_expr(scalar[2] if COMPARE[e.op](left, right) else scalar[3], env, self.dtypes)[0]
            if v.dtype.kind == "f" and out.dtype.kind != "f":
                out = out.astype(np.float64)
            out[point] = v
        return self.stand_in(out, axes)


def _substitute(e: Expr, names: Mapping[Access, str]) -> Expr:
    """`e` with each access replaced by the order-0 tensor `names` gives it."""
    if isinstance(e, Access):
        return Access(names[e])
    if isinstance(e, BinOp):
        return BinOp(e.op, _substitute(e.left, names), _substitute(e.right, names))
    if isinstance(e, Neg):
        return Neg(_substitute(e.operand, names))
    if isinstance(e, Call):
        return Call(e.func, tuple(_substitute(a, names) for a in e.args))
    return e


def run(program: Program, env: Mapping, dtypes: Mapping[str, str]) -> dict:
    """Run the statements in order on a copy of `env`; the final value of every tensor the
    program assigns, as `tensorlift.taco.evaluate.evaluate` gives it."""
    current = dict(env)
    results: dict = {}
    with np.errstate(all="ignore"):
        for st in program.statements:
            lowering = _Statement(st, dict(current), dtypes)
            plain = Statement(st.lhs, lowering.lower(st.rhs), st.accumulate)
            out = evaluate(Program((plain,)), lowering.env, dtypes)
            current.update(out)
            results.update(out)
    return results
