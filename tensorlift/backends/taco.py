"""The `taco` target: TACO index notation text, one statement per line, under a header of
`#` comments that lists every tensor with its C type, role, shape and TACO format.

`read_taco_text` reads that text back (comments and blank lines skipped) so that the
text itself can be checked on the examples: it is run through the NumPy back end. It reads
exactly what `str(Statement)` prints, nothing more; the tolerant parser for model answers
lives elsewhere.
"""
from __future__ import annotations

import re

from ..errors import TensorliftError
from ..taco.ir import FUNCTIONS, Access, BinOp, Call, Const, Neg, Program, Statement, accesses
from ..signature import Signature
from .plan import make_plan

_FORMATS = {0: "scalar", 1: "dense vector", 2: "dense matrix"}


def emit_taco(program: Program, sig: Signature) -> str:
    plan = make_plan(program, sig)          # validates the program against the signature
    used = {a.name for s in program.statements for a in [s.lhs, *accesses(s.rhs)]}
    rows = []
    for t in plan.tensors.values():
        if t.name not in used:
            continue
        if t.role == "param":
            p = t.param
            role = p.access if p.kind == "array" else f"{p.role or 'value'} scalar"
            shape = f"[{', '.join(p.shape or [])}]" if p.kind == "array" else ""
        elif t.role == "return":
            role, shape = "returned", ""
        else:
            role, shape = "temporary", ""
        fmt = "d" * t.order if t.order else "-"
        ctype = t.ctype or t.kind
        rows.append((t.name, ctype, role, shape, fmt))
    unused = [p.name for p in sig.params if p.name not in used]
    head = [f"# {sig.function}: TACO index notation lifted from C by tensorlift.",
            "# Statements run in order; a right-side index variable absent on the left is summed"
            " at the smallest",
            "# subexpression containing all its uses; int tensors use C's truncating division.",
            "# tensor  C type  role  shape  format (d = dense, row-major)"]
    widths = [max(len(r[k]) for r in rows) for k in range(5)]
    for r in rows:
        head.append("#   " + "  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip())
    if unused:
        head.append(f"# not used by the program: {', '.join(unused)}")
    return "\n".join(head + [str(s) for s in program.statements]) + "\n"


# ---------------------------------------------------------------------- reading it back

_TOKEN = re.compile(r"""
    (?P<num>\d+\.\d*(?:[eE][+-]?\d+)?|\d+[eE][+-]?\d+|\d+)
  | (?P<name>[A-Za-z_]\w*(?:(?:\.|->)[A-Za-z_]\w*|\[\d+\])*)
  | (?P<op>\+=|[-+*/(),=])
  | (?P<space>\s+)
""", re.VERBOSE)


def read_taco_text(text: str) -> Program:
    statements = []
    for lineno, line in enumerate(text.splitlines(), 1):
        line = line.split("#", 1)[0].strip()
        if line:
            statements.append(_Parser(line, lineno).statement())
    if not statements:
        raise TensorliftError("the TACO text has no statements")
    return Program(tuple(statements))


class _Parser:
    def __init__(self, line: str, lineno: int):
        self.line, self.lineno = line, lineno
        self.toks: list[tuple[str, str]] = []
        pos = 0
        while pos < len(line):
            m = _TOKEN.match(line, pos)
            if not m:
                self.fail(f"unexpected {line[pos]!r}")
            if m.lastgroup != "space":
                self.toks.append((m.lastgroup, m.group()))
            pos = m.end()
        self.i = 0

    def fail(self, msg: str):
        raise TensorliftError(f"TACO text line {self.lineno}: {msg}: {self.line}")

    def peek(self) -> str:
        return self.toks[self.i][1] if self.i < len(self.toks) else ""

    def take(self, want: str | None = None) -> tuple[str, str]:
        if self.i >= len(self.toks):
            self.fail("unexpected end")
        tok = self.toks[self.i]
        if want is not None and tok[1] != want:
            self.fail(f"expected {want!r}, found {tok[1]!r}")
        self.i += 1
        return tok

    def statement(self) -> Statement:
        lhs = self.primary()
        if not isinstance(lhs, Access):
            self.fail("the left side must be a tensor access")
        op = self.take()[1]
        if op not in ("=", "+="):
            self.fail("expected = or +=")
        rhs = self.expr()
        if self.i != len(self.toks):
            self.fail(f"unexpected {self.peek()!r}")
        return Statement(lhs, rhs, op == "+=")

    def expr(self):
        e = self.term()
        while self.peek() in ("+", "-"):
            e = BinOp(self.take()[1], e, self.term())
        return e

    def term(self):
        e = self.unary()
        while self.peek() in ("*", "/"):
            e = BinOp(self.take()[1], e, self.unary())
        return e

    def unary(self):
        if self.peek() == "-":
            self.take()
            if self.i < len(self.toks) and self.toks[self.i][0] == "num":
                return Const(-_number(self.take()[1]))
            return Neg(self.unary())
        return self.primary()

    def primary(self):
        kind, text = self.take()
        if kind == "num":
            return Const(_number(text))
        if text == "(":
            e = self.expr()
            self.take(")")
            return e
        if kind != "name":
            self.fail(f"unexpected {text!r}")
        if self.peek() != "(":
            return Access(text)
        self.take("(")
        if text in FUNCTIONS:
            args = [self.expr()]
            while self.peek() == ",":
                self.take()
                args.append(self.expr())
            self.take(")")
            return Call(text, tuple(args))
        indices = []
        while self.peek() != ")":
            k, v = self.take()
            if k != "name":
                self.fail(f"expected an index variable, found {v!r}")
            indices.append(v)
            if self.peek() == ",":
                self.take()
        self.take(")")
        return Access(text, tuple(indices))


def _number(text: str):
    return float(text) if any(c in text for c in ".eE") else int(text)
