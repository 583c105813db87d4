"""Read TACO index notation, in our conventions, into the IR.

Hand-written recursive descent so that every error names its line and column, and so that
`answers` can reuse the same grammar behind a forgiving front (it subclasses `Parser`).

Conventions: statements are separated by `;` or newlines (a newline inside brackets does
not end a statement); `lhs = rhs` and `lhs += rhs`; a tensor name may hold dots and constant
subscripts (`a.vals`, `a.dimensions[0]`); `alpha` and `alpha()` are the same scalar;
`min max exp sqrt abs` followed by `(` are always calls, never tensor accesses. `-2` parses
as `Neg(Const(2))`: constants are never negative in parsed programs.
"""
from __future__ import annotations

import re
from typing import NamedTuple, NoReturn, Optional, Union

from ..errors import TensorliftError
from .ops import ARITY, BINARY, REDUCTIONS, UNARY
from .ir import (children, Access, BinOp, Call, Condition, Const, Expr, Guarded, Neg, compare_intervals,
                 intersect_intervals, key_terms, Not, Program, Reduce, Statement, index_vars)

MAX_DEPTH = 64
"""Deeper nesting of brackets and unary minus is refused, so recursion stays far below
Python's limit whatever the text."""
MAX_HEIGHT = 128
"""Expression trees taller than this (`a + a + ... + a` is as tall as it is long) are refused:
hashing, printing and evaluating the IR recurse over the tree."""

_LEVEL = {p: tuple(n for n, o in BINARY.items() if o.precedence == p) for p in range(-2, 3)}
"""The infix operators by precedence, one level of the parser each (`||` loosest, `* /` tightest)."""


NAME = r"[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*|\[[0-9]+\])*"
NUMBER = r"(?:[0-9]+\.[0-9]+|\.[0-9]+|[0-9]+)(?:[eE][+-]?[0-9]+)?"
IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")

_STRICT = re.compile(
    rf"(?P<ws>[ \t\r\f\v]+)|(?P<sep>[;\n])|(?P<num>{NUMBER})|(?P<name>{NAME})"
    r"|(?P<op>\+=|<=|>=|==|!=|&&|\|\||[-+*/(),=<>!])"
)


class Token(NamedTuple):
    kind: str   # "num" | "name" | "op" | "sep" | "end" (answers adds "other")
    text: str
    pos: int    # character offset in the source text


def position(text: str, offset: int) -> str:
    """`line L, column C` (both from 1) of a character offset, for error messages."""
    line = text.count("\n", 0, offset) + 1
    col = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return f"line {line}, column {col}"


def _shown(s: str) -> str:
    s = s if len(s) <= 20 else s[:17] + "..."
    return repr(s) if s else "end of text"


def tokenize(text: str) -> list[Token]:
    """Tokens of strict TACO text, ending with an "end" token. Newlines inside brackets are
    dropped so that a long expression may span lines."""
    tokens: list[Token] = []
    pos, depth = 0, 0
    while pos < len(text):
        m = _STRICT.match(text, pos)
        if m is None:
            raise TensorliftError(
                f"TACO parse error at {position(text, pos)}: unexpected character {text[pos]!r}")
        kind, s = m.lastgroup, m.group()
        pos = m.end()
        if kind == "ws" or (kind == "sep" and s == "\n" and depth > 0):
            continue
        if s == "(":
            depth += 1
        elif s == ")":
            depth = max(0, depth - 1)
        tokens.append(Token(kind, s, m.start()))
    tokens.append(Token("end", "", len(text)))
    return tokens


class Parser:
    """Recursive descent over a token list, between `start` and `stop` (exclusive).

    Grammar: expr := term (('+'|'-') term)* ; term := unary (('*'|'/') unary)* ;
    unary := '-' unary | primary ; primary := NUMBER | NAME [ '(' ... ')' ] | '(' expr ')'.
    Subclasses override `fail` (cheap errors) and `named` (extra notations).
    """

    def __init__(self, tokens: list[Token], text: str = "", start: int = 0,
                 stop: Optional[int] = None):
        self.tokens = tokens
        self.text = text
        self.pos = start
        self.stop = len(tokens) if stop is None else stop
        self.depth = 0
        self.too_deep = False  # why the last failure happened, for forgiving subclasses
        self.heights: dict[int, tuple[Expr, int]] = {}

    # -- token helpers -------------------------------------------------------------------
    def peek(self) -> Token:
        if self.pos < self.stop and self.tokens[self.pos].kind != "end":
            return self.tokens[self.pos]
        at = self.tokens[self.pos].pos if self.pos < len(self.tokens) else len(self.text)
        return Token("end", "", at)

    def advance(self) -> Token:
        tok = self.peek()
        if tok.kind != "end":
            self.pos += 1
        return tok

    def at_op(self, *ops: str) -> bool:
        tok = self.peek()
        return tok.kind == "op" and tok.text in ops

    def expect(self, op: str) -> None:
        if not self.at_op(op):
            self.fail(f"expected {op!r}, found {_shown(self.peek().text)}")
        self.pos += 1

    def fail(self, message: str, at: Optional[int] = None) -> NoReturn:
        at = self.peek().pos if at is None else at
        raise TensorliftError(f"TACO parse error at {position(self.text, at)}: {message}")

    def _enter(self) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            self.too_deep = True
            self.fail(f"expression nested deeper than {MAX_DEPTH} levels")

    def made(self, e: Expr) -> Expr:
        """Record the height of a node just built; refuse a tree taller than MAX_HEIGHT."""
        kids = children(e)
        height = 1 + max((self._height(k) for k in kids), default=0)
        if height > MAX_HEIGHT:
            self.too_deep = True
            self.fail(f"expression more than {MAX_HEIGHT} levels deep")
        self.heights[id(e)] = (e, height)
        return e

    def _height(self, e: Expr) -> int:
        entry = self.heights.get(id(e))
        return entry[1] if entry is not None and entry[0] is e else 1

    # -- expressions ---------------------------------------------------------------------
    def expression(self) -> Expr:
        """`||` binds loosest, then `&&`, then comparisons, then `+ -`, then `* /`."""
        self._enter()
        e = self.conjunction()
        while self.at_op(*_LEVEL[-2]):
            op = self.advance().text
            e = self.made(BinOp(op, e, self.conjunction()))
        self.depth -= 1
        return e

    def conjunction(self) -> Expr:
        e = self.comparison()
        while self.at_op(*_LEVEL[-1]):
            op = self.advance().text
            e = self.made(BinOp(op, e, self.comparison()))
        return e

    def comparison(self) -> Expr:
        """Comparisons chain to the left (`a < b == c` is `(a < b) == c`), as the printer
        writes them: it brackets only a comparison on the right of another."""
        e = self.arith()
        while self.at_op(*_LEVEL[0]):
            op = self.advance().text
            e = self.made(BinOp(op, e, self.arith()))
        return e

    def arith(self) -> Expr:
        e = self.term()
        while self.at_op(*_LEVEL[1]):
            op = self.advance().text
            e = self.made(BinOp(op, e, self.term()))
        return e

    def term(self) -> Expr:
        e = self.unary()
        while self.at_op(*_LEVEL[2]):
            op = self.advance().text
            e = self.made(BinOp(op, e, self.unary()))
        return e

    def unary(self) -> Expr:
        if self.at_op(*UNARY):
            op = self.advance().text
            self._enter()
            e = self.made((Neg if op == "-" else Not)(self.unary()))
            self.depth -= 1
            return e
        return self.primary()

    def primary(self) -> Expr:
        tok = self.peek()
        if tok.kind == "num":
            try:
                const = number(tok.text)
            except ValueError:  # more digits than Python converts
                self.fail(f"number too long: {_shown(tok.text)}")
            self.advance()
            return const
        if tok.kind == "name":
            self.advance()
            return self.named(tok)
        if self.at_op("("):
            self.advance()
            e = self.expression()
            self.expect(")")
            return e
        self.fail(f"expected a tensor, a number or '(', found {_shown(tok.text)}")

    def named(self, tok: Token) -> Expr:
        """What follows a name: a call of a known function, an access, or a scalar."""
        if not self.at_op("("):
            return Access(tok.text)
        self.advance()
        if tok.text in ARITY or tok.text in REDUCTIONS:
            return self.call(tok)
        return Access(tok.text, self.index_list())

    def call(self, tok: Token) -> Expr:
        """A function, or a reduction: `max(j, e)` when every argument before the last is a
        variable of the last; `max(e)`, `sum(e)` over the variables the left side lacks."""
        func = tok.text
        args = [self.expression()]
        while self.at_op(","):
            self.advance()
            args.append(self.expression())
        self.expect(")")
        if func not in ARITY and all(isinstance(a, Access) and not a.indices and IDENT.fullmatch(a.name)
                                     for a in args):
            return Access(func, tuple(a.name for a in args))      # a tensor named `sum` or `prod`
        if func in REDUCTIONS:
            leading = [a.name for a in args[:-1] if isinstance(a, Access) and not a.indices]
            if len(leading) == len(args) - 1 and set(leading) <= index_vars(args[-1]) \
                    and (len(args) == 1 or func != "max" and func != "min" or leading):
                if func in ARITY and len(args) == ARITY[func] and not leading:
                    return self.made(Call(func, tuple(args)))
                return self.made(Reduce(func, tuple(leading), args[-1]))
            if func not in ARITY:
                self.fail(f"{func}(v, ..., e) takes index variables of e before e", tok.pos)
        if len(args) != ARITY[func]:
            self.fail(f"{func} takes {ARITY[func]} argument(s), got {len(args)}", tok.pos)
        return self.made(Call(func, tuple(args)))

    def index_list(self) -> tuple:
        """Indices up to the closing ')' (the '(' is consumed already): variables, or affine
        expressions over variables and sizes (`i+k`, `n-1-i`)."""
        names: list = []
        if self.at_op(")"):
            self.advance()
            return ()
        while True:
            tok = self.peek()
            if tok.kind not in ("name", "num") and not self.at_op("(", "-"):
                self.fail(f"expected an index variable, found {_shown(tok.text)}")
            e = self.arith()
            if isinstance(e, Access) and not e.indices and IDENT.fullmatch(e.name):
                e = e.name
            elif not affine_index(e):
                self.fail(f"an index must be a variable or an affine expression, not {e}", tok.pos)
            names.append(e)
            if self.at_op(")"):
                self.advance()
                return tuple(names)
            self.expect(",")

    # -- statements ----------------------------------------------------------------------
    def lhs(self) -> Access:
        tok = self.peek()
        if tok.kind != "name":
            self.fail(f"expected a tensor on the left of a statement, found {_shown(tok.text)}")
        self.advance()
        if self.at_op("("):
            self.advance()
            return Access(tok.text, self.index_list())
        return Access(tok.text)

    def statement(self) -> Statement:
        lhs = self.lhs()
        if not self.at_op("=", "+="):
            self.fail(f"expected '=' or '+=', found {_shown(self.peek().text)}")
        accumulate = self.advance().text == "+="
        rhs = self.expression()
        domain = None
        tok = self.peek()
        if tok.kind == "name" and tok.text == "for":
            self.advance()
            domain = self.expression()
        return Statement(lhs, rhs, accumulate, domain)

    def skip_separators(self) -> None:
        while self.peek().kind == "sep":
            self.advance()

    def program(self) -> Program:
        statements = []
        self.skip_separators()
        while self.peek().kind != "end":
            statements.append(self.statement())
            if self.peek().kind not in ("sep", "end"):
                self.fail(f"expected ';', a newline or an operator, found {_shown(self.peek().text)}")
            self.skip_separators()
        if not statements:
            self.fail("no statement")
        return Program(tuple(statements))


def affine_index(e) -> bool:
    """Sums of products of names and integers: what an index may be."""
    if isinstance(e, Const):
        return isinstance(e.value, int)
    if isinstance(e, Access):
        return not e.indices
    if isinstance(e, Neg):
        return affine_index(e.operand)
    return isinstance(e, BinOp) and e.op in "+-*" and affine_index(e.left) and affine_index(e.right)


def number(text: str) -> Const:
    """An int constant unless written with a '.' or an exponent."""
    if any(c in text for c in ".eE"):
        return Const(float(text))
    return Const(int(text))


def parse_program(text: str) -> Union[Program, Guarded]:
    """Parse TACO text into a Program; `TensorliftError` (one line, with position) if bad.
    Text with `if COND:` / `elif COND:` lines is a guarded program: the indented statements
    under each are the program of that case. `#` starts a comment."""
    text = re.sub(r"#[^\n]*", lambda m: " " * len(m.group()), text)    # positions kept
    lines = text.split("\n")
    if not any(re.match(r"\s*if\s", ln) for ln in lines):
        return Parser(tokenize(text), text).program()
    cases: list = []
    for n, ln in enumerate(lines, 1):
        if not ln.strip():
            continue
        m = re.fullmatch(r"\s*(if|elif)\s+(.+):\s*", ln)
        if m:
            if (m.group(1) == "if") != (not cases):
                raise TensorliftError(f"TACO parse error at line {n}: '{m.group(1)}' out of place")
            cases.append((parse_condition(m.group(2)), []))
        elif not cases:
            raise TensorliftError(f"TACO parse error at line {n}: a statement before the first 'if'")
        else:
            cases[-1][1].append(ln.strip())
    # a case with no statement computes nothing (`if (n > 1024) return;`)
    return Guarded(tuple((cond, Parser(tokenize("\n".join(st)), "\n".join(st)).program() if st else Program(()))
                         for cond, st in cases))


_ATOM = re.compile(r"\s*(?:(-?\d+)\s*(<=|<)\s*)?([A-Za-z_][\w.]*(?:\[\d+\])?)\s*(==|!=|<=|>=|<|>)\s*(-?\d+)\s*")


_AFFINE = r"-?\s*(?:\d+\s*\*\s*)?[A-Za-z_\d][\w.]*(?:\[\d+\])?(?:\s*[+-]\s*(?:\d+\s*\*\s*)?[A-Za-z_\d][\w.]*(?:\[\d+\])?)*"
_RELATION = re.compile(rf"\s*({_AFFINE})\s*(==|!=|<=|>=|<|>)\s*({_AFFINE})\s*")
_FLIP = {"<": ">", ">": "<", "<=": ">=", ">=": "<=", "==": "==", "!=": "!="}


def relation_key(left: str, op: str, right: str) -> tuple[str, str, int]:
    """`na op nb + 1` as a condition's key, operator and constant: (`na-nb`, op, 1); the
    key's first coefficient is positive, so that one relation has one key."""
    terms: dict[str, int] = {}
    const = 0
    for text, sign in ((left, 1), (right, -1)):
        for name, k in key_terms(text.replace(" ", "")):
            if name:
                terms[name] = terms.get(name, 0) + sign * k
            else:
                const -= sign * k
    terms = {n: k for n, k in terms.items() if k}
    if not terms:
        raise TensorliftError(f"cannot read the condition {left} {op} {right}: it compares no sizes")
    if next(iter(terms.values())) < 0:
        terms, const, op = {n: -k for n, k in terms.items()}, -const, _FLIP[op]
    key = "".join(f"{'-' if k < 0 else '+'}{'' if abs(k) == 1 else f'{abs(k)}*'}{n}" for n, k in terms.items())
    return key.lstrip("+"), op, const


def parse_condition(text: str) -> Condition:
    """`TA == 0 and (TB <= -1 or TB >= 1)`, `0 <= mode <= 3`, `na != nb`: comparisons of
    flags with integers, or of affine expressions of sizes, joined by `and`, `or` and
    brackets, as `Condition` prints them."""
    pos = 0

    def fail(what):
        raise TensorliftError(f"cannot read the condition {text!r}: {what}")

    def disjunction():
        nonlocal pos
        terms = conjunction()
        while text.startswith("or", pos := _skip(text, pos)):
            pos += 2
            terms = terms + conjunction()
        return terms

    def conjunction():
        nonlocal pos
        terms = factor()
        while text.startswith("and", pos := _skip(text, pos)):
            pos += 3
            right = factor()
            terms = [_intersect(a, b) for a in terms for b in right]
        return terms

    def factor():
        nonlocal pos
        pos = _skip(text, pos)
        if text.startswith("(", pos):
            pos += 1
            terms = disjunction()
            pos = _skip(text, pos)
            if not text.startswith(")", pos):
                fail("a ')' is missing")
            pos += 1
            return terms
        m = _ATOM.match(text, pos)
        if m:
            pos = m.end()
            lo_c, lo_op, name, op, c = m.groups()
            ivs = compare_intervals(op, int(c))
            if lo_c is not None:
                ivs = intersect_intervals(ivs, [(int(lo_c) + (lo_op == "<"), None)])
            return [{name: ivs}]
        m = _RELATION.match(text, pos)
        if not m:
            fail(f"expected a comparison at {text[pos:pos + 12]!r}")
        pos = m.end()
        key, op, c = relation_key(m.group(1), m.group(2), m.group(3))
        return [{key: compare_intervals(op, c)}]

    terms = disjunction()
    if _skip(text, pos) != len(text):
        fail(f"unexpected {text[pos:pos + 12]!r}")
    return Condition(tuple(tuple((f, tuple(ivs)) for f, ivs in t.items()) for t in terms if all(t.values())))


def _skip(text: str, pos: int) -> int:
    while pos < len(text) and text[pos].isspace():
        pos += 1
    return pos


def _intersect(a: dict, b: dict) -> dict:
    out = dict(a)
    for f, ivs in b.items():
        out[f] = intersect_intervals(out[f], ivs) if f in out else ivs
    return out


def parse_statement(text: str) -> Statement:
    program = parse_program(text)
    if len(program.statements) != 1:
        raise TensorliftError(f"expected one TACO statement, found {len(program.statements)}")
    return program.statements[0]


def parse_expression(text: str) -> Expr:
    """Parse a right-hand side on its own."""
    parser = Parser(tokenize(text), text)
    parser.skip_separators()
    e = parser.expression()
    parser.skip_separators()
    if parser.peek().kind != "end":
        parser.fail(f"expected an operator or end of text, found {_shown(parser.peek().text)}")
    return e
