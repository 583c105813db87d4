"""Pull TACO programs out of language-model answers, however they are written.

The grammar learns from what the model says, right or wrong, so this keeps every fragment it
can read and never raises. It reads, besides strict TACO: a missing left side (`a(i)*b(i)`,
recorded with the left side `_`, an order-0 placeholder meaning "left side missing"),
`expr => sum()`, `:=`, `-=` (as `+= -(...)`), `*=` and `/=`, `sum(k, e)` and `sum_k` (the sum is
implicit in TACO, so they become `e`), `A[i][j]` and `A[i,j]`, C names of the functions
(`fmaxf`, `fabs`, ...), `2.0f`, `\\cdot`, `×`, `·`, code fences, list markers, markdown and prose.

Grouping: statements of one answer form one program; a plain `=` that redefines a tensor
already defined without reading it starts another program (the model is offering an
alternative); an expression without a left side is a program of its own. When the answer has
code fences that yield statements, only the fences are read (prose tends to repeat them).
Identical programs of one answer are kept once.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import NoReturn, Optional

from ..taco import ops
from ..taco.ir import Access, BinOp, Call, Const, Expr, Neg, Program, Reduce, Statement, accesses, index_vars
from ..taco.parse import IDENT, NAME, NUMBER, Parser, Token, affine_index

MISSING = Access("_", ())
"""Left side of a statement whose answer gave none."""

_TOKEN = re.compile(
    rf"(?P<ws>\s+)|(?P<num>{NUMBER})|(?P<name>{NAME})"
    r"|(?P<op>\+=|-=|\*=|/=|:=|=>|==|<=|>=|!=|&&|\|\||[-+*/(),=\[\]<>!])|(?P<sep>;)|(?P<other>.)",
    re.S,
)
_ASSIGN = {"=": "=", ":=": "=", "+=": "+=", "-=": "-=", "*=": "*=", "/=": "/="}
_SUM = re.compile(r"(?:sum|Sum|SUM)(?:_[A-Za-z0-9_]+)?")

_REPLACE = [
    (re.compile(r"\\n(?!(?:eq|e|eg|abla|u|ot|i|olimits|ewline)(?![A-Za-z]))"), "\n"),
    (re.compile(r"\\(?:cdot|times|ast)(?![A-Za-z])|[×·⋅∙∗✕]"), "*"),
    (re.compile(r"[−–](?=\s*[\w(.])"), "-"),
    (re.compile(r"÷"), "/"),
    (re.compile(r"≔|←"), "="),
    (re.compile(r"(?:\\sum|[Σ∑])(?:_\{[^{}\n]*\}|_[A-Za-z0-9]+)?(?:\^\{[^{}\n]*\}|\^[A-Za-z0-9]+)?"),
     " "),
    (re.compile(r"\b(?:sum|Sum)_\{[A-Za-z0-9_, ]*\}|\b(?:sum|Sum)_[A-Za-z0-9]+\b(?!\s*\()"), " "),
    (re.compile(r"\\left|\\right|\\[()\[\]]|\$"), " "),
    (re.compile(r"\b([0-9]+(?:\.[0-9]*)?(?:[eE][+-]?[0-9]+)?)[fF]\b"), r"\1"),
    (re.compile(r"\*\*"), " "),
]
_LIST_MARKER = re.compile(r"^\s*(?:[-*+•>]|\d+[.)]|\(\d+\)|[A-Za-z][.)](?=\s))\s+")
_PROSE = {"for", "while", "if", "where", "and", "or", "with", "over", "in", "of", "is", "to",
          "then", "else", "each", "all", "at", "by", "as", "on", "from", "so", "i.e", "e.g"}
"""Words that are not read as the right factor of a juxtaposed product."""
_C_LINE = re.compile(r"^\s*(?:(?:for|while|if)\s*\(|#|return\b|[{}])|\{\s*$")
_FENCE_TAGS = {"taco", "c", "cpp", "text", "plaintext", "python", "math", "latex", "tex", "txt"}


class _Stop(Exception):
    """A parse failed at token index `at` (no message: failures are frequent here);
    `deep` when it failed for nesting too deep."""

    def __init__(self, at: int, deep: bool):
        self.at = at
        self.deep = deep


class _Lenient(Parser):
    """The TACO grammar with model notations: brackets, sums, C function names."""

    def fail(self, message: str, at: Optional[int] = None) -> NoReturn:
        raise _Stop(self.pos, self.too_deep)

    def named(self, tok: Token) -> Expr:
        name = tok.text
        if self.at_op("["):
            return Access(name, self.bracket_indices())
        if not self.at_op("("):
            return Access(name)
        self.advance()
        args: list[Expr] = []
        if not self.at_op(")"):
            args.append(self.expression())
            while self.at_op(","):
                self.advance()
                args.append(self.expression())
        self.expect(")")
        plain = [_plain_name(a) for a in args]
        op = name.lower()
        if op in ops.REDUCTIONS and op != "sum" and args and all(plain[:-1]) and \
                set(plain[:-1]) <= index_vars(args[-1]):
            # `max(j, A(i,j))`, `prod(x(i))`: a reduction (sums stay TACO's implicit ones)
            return self.made(Reduce(op, tuple(plain[:-1]), args[-1]))
        func = ops.ALIASES.get(op)
        if func is not None:
            if len(args) != ops.ARITY[func]:
                self.fail("arity")
            return self.made(Call(func, tuple(args)))
        if all(plain):
            return Access(name, tuple(plain))  # type: ignore[arg-type]
        if all(p or affine_index(a) for p, a in zip(plain, args)):
            return Access(name, tuple(p or a for p, a in zip(plain, args)))   # `x(i+k)`
        if _SUM.fullmatch(name) and all(plain[:-1]):
            return args[-1]
        self.fail("unknown function")

    def term(self) -> Expr:
        """Also reads juxtaposition of accesses (`A(i,j) x(j)`) as a product."""
        e = self.unary()
        indexed = isinstance(e, Const) or _indexed(e)
        while True:
            if self.at_op("*", "/"):
                op = self.advance().text
                right_operand = self.unary()
                e = self.made(BinOp(op, e, right_operand))
                indexed = indexed or _indexed(right_operand)
            elif indexed and self.juxtaposed():
                saved = self.pos, self.depth
                try:
                    right: Optional[Expr] = self.unary()
                except _Stop:
                    right = None
                if right is None or not _indexed(right):
                    self.pos, self.depth, self.too_deep = *saved, False
                    return e
                e = self.made(BinOp("*", e, right))
            else:
                return e

    def juxtaposed(self) -> bool:
        nxt = self.pos + 1
        tok = self.peek()
        return (tok.kind == "name" and tok.text.lower() not in _PROSE and nxt < self.stop
                and self.tokens[nxt].kind == "op" and self.tokens[nxt].text in ("(", "["))

    def bracket_indices(self) -> tuple[str, ...]:
        names: list[str] = []
        while self.at_op("["):
            self.advance()
            while True:
                tok = self.advance()
                if tok.kind != "name" or not IDENT.fullmatch(tok.text):
                    self.fail("index")
                names.append(tok.text)
                if not self.at_op(","):
                    break
                self.advance()
            self.expect("]")
        return tuple(names)


def _indexed(e: Expr) -> bool:
    return any(a.indices for a in accesses(e))


def _plain_name(e: Expr) -> Optional[str]:
    if isinstance(e, Access) and not e.indices and IDENT.fullmatch(e.name):
        return e.name
    return None


class _Budget:
    """Caps the parsing work per answer, so adversarial text stays linear in time."""

    def __init__(self, tokens: int):
        self.left = 5 * tokens + 20_000

    def spend(self, n: int) -> None:
        self.left -= max(1, n)

    @property
    def ok(self) -> bool:
        return self.left > 0


def _tokenize(line: str) -> list[Token]:
    out = []
    for m in _TOKEN.finditer(line):
        kind = m.lastgroup or "other"
        if kind == "ws":
            continue
        if kind == "num" and len(m.group()) > 100:
            kind = "other"
        out.append(Token(kind, m.group(), m.start()))
    return out


def _prefix(tokens: list[Token], start: int, stop: int,
            budget: _Budget) -> tuple[Optional[Expr], int]:
    """The longest expression starting at `start` (one retry without a dangling operator),
    and where it ends; on failure, where a scan for the next expression may resume."""
    for _ in range(2):
        parser = _Lenient(tokens, "", start, stop)
        try:
            e = parser.expression()
            budget.spend(parser.pos - start)
            return e, parser.pos
        except _Stop as stopped:
            q = stopped.at
            budget.spend(q - start + 1)
            if stopped.deep:  # every start inside this nest would fail the same way
                return None, max(q, start + 1)
            if q - 1 > start and tokens[q - 1].kind == "op" and tokens[q - 1].text in ops.ARITHMETIC:
                stop = q - 1
                continue
            break
        except RecursionError:
            break
    return None, start + 1


def _lhs_before(tokens: list[Token], a: int, lo: int) -> Optional[tuple[int, Access]]:
    """The access just before the assignment at index `a` (not before index `lo`)."""
    k = a - 1
    if k < lo:
        return None
    t = tokens[k]
    if t.kind == "name":
        return k, Access(t.text)
    opening = {")": "(", "]": "["}.get(t.text) if t.kind == "op" else None
    if opening is None:
        return None
    groups: list[list[str]] = []
    while k >= lo and tokens[k].kind == "op" and tokens[k].text == t.text:
        k -= 1
        names: list[str] = []
        while k >= lo and tokens[k].kind == "name" and IDENT.fullmatch(tokens[k].text):
            names.append(tokens[k].text)
            k -= 1
            if k >= lo and tokens[k].text == "," and tokens[k].kind == "op":
                k -= 1
            else:
                break
        if k < lo or tokens[k].kind != "op" or tokens[k].text != opening:
            return None
        groups.append(names[::-1])
        k -= 1
        if opening == "(":
            break
    if k < lo or tokens[k].kind != "name":
        return None
    indices = tuple(v for g in reversed(groups) for v in g)
    return k, Access(tokens[k].text, indices)


def _plausible(e: Expr, tokens: list[Token], start: int, end: int) -> bool:
    """A bare expression counts only if it looks like a formula, not a word of prose."""
    if not any(a.indices for a in accesses(e)):
        return False
    if not isinstance(e, Access):
        return True
    if end < len(tokens) and tokens[end].text == "=>":
        return True
    rest = tokens[end:]
    return start == 0 and all(t.kind in ("sep", "other") or t.text == "," for t in rest)


def _bare(tokens: list[Token], lo: int, hi: int, budget: _Budget) -> list[tuple[int, Statement]]:
    found = []
    p = lo
    while p < hi and budget.ok:
        t = tokens[p]
        if t.kind in ("name", "num") or (t.kind == "op" and t.text in ("(", "-")):
            e, end = _prefix(tokens, p, hi, budget)
            if e is not None and _plausible(e, tokens, p, end):
                found.append((p, Statement(MISSING, e)))
            # an implausible expression has no plausible part either: skip all of it
            p = end
            continue
        p += 1
    return found


def _statement(lhs: Access, op: str, rhs: Expr) -> Statement:
    if op == "-=":
        return Statement(lhs, Neg(rhs), True)
    if op in ("*=", "/="):
        return Statement(lhs, BinOp(op[0], lhs, rhs))
    return Statement(lhs, rhs, op == "+=")


def _line_statements(line: str, budget: _Budget) -> tuple[list[Statement], list[Statement]]:
    """(statements with a left side, bare expressions) of one line, in order."""
    tokens = _tokenize(line)
    anchors: list[tuple[int, int, Access]] = []  # (start of lhs, index of the operator, lhs)
    lo = 0
    for a, t in enumerate(tokens):
        if t.kind == "op" and t.text in _ASSIGN:
            got = _lhs_before(tokens, a, lo)
            start, lhs = got if got is not None else (a, MISSING)
            anchors.append((start, a, lhs))
            lo = a + 1
    named: list[Statement] = []
    bare: list[Statement] = []
    cursor = 0
    for n, (start, a, lhs) in enumerate(anchors):
        if not budget.ok:
            break
        bare += [s for _, s in _bare(tokens, cursor, start, budget)]
        stop = anchors[n + 1][0] if n + 1 < len(anchors) else len(tokens)
        e, end = _prefix(tokens, a + 1, stop, budget) if a + 1 < stop else (None, a + 1)
        cursor = end
        if e is not None:
            st = _statement(lhs, _ASSIGN[tokens[a].text], e)
            if end + 1 < stop and tokens[end].kind == "name" and tokens[end].text == "for":
                domain, after = _prefix(tokens, end + 1, stop, budget)    # `... for j <= i`
                if domain is not None and isinstance(domain, BinOp) and domain.op in ops.COMPARISONS + ops.LOGICAL:
                    st, cursor = Statement(st.lhs, st.rhs, st.accumulate, domain), after
            named.append(st)
    if budget.ok:
        bare += [s for _, s in _bare(tokens, cursor, len(tokens), budget)]
    return named, bare


def _clean(line: str) -> Optional[str]:
    """The line without list markers and inline code marks; None for a line of C code."""
    if _C_LINE.search(line):
        return None
    line = line.replace("`", " ")
    return _LIST_MARKER.sub("", line, count=1)


def _blocks(text: str) -> tuple[list[list[str]], list[str]]:
    """(code-fenced blocks, lines outside fences)."""
    fenced: list[list[str]] = []
    outside: list[str] = []
    current: Optional[list[str]] = None
    for line in text.split("\n"):
        s = line.strip()
        if s.startswith("```"):
            inner = s[3:]
            if "```" in inner:  # a one-line fence
                body = inner[: inner.index("```")].strip()
                head, _, tail = body.partition(" ")
                fenced.append([tail if head.lower() in _FENCE_TAGS else body])
                continue
            if current is None:
                current = []
                fenced.append(current)
            else:
                current = None
            continue
        (current if current is not None else outside).append(line)
    return fenced, outside


def _group(named: list[Statement], bare: list[Statement]) -> list[Program]:
    """Split statements into programs (see the module docstring) and drop repeats."""
    index_names = {v for s in named for v in s.lhs.indices} | {
        v for s in named for a in accesses(s.rhs) for v in a.indices}
    groups: list[list[Statement]] = []
    current: list[Statement] = []
    for s in named:
        if not s.lhs.indices and s.lhs.name in index_names and not any(True for _ in accesses(s.rhs)):
            continue  # `i = 0` from prose or a loop header, not part of the formula
        reads = {a.name for a in accesses(s.rhs)}
        if (current and not s.accumulate and s.lhs.name not in reads
                and any(t.lhs.name == s.lhs.name for t in current)):
            groups.append(current)
            current = []
        current.append(s)
    if current:
        groups.append(current)
    rhs_seen = {s.rhs for s in named}
    groups += [[s] for s in bare if s.rhs not in rhs_seen]
    return list(dict.fromkeys(Program(tuple(g)) for g in groups))


def _read(lines: list[str], budget: _Budget) -> list[Program]:
    named: list[Statement] = []
    bare: list[Statement] = []
    for raw in lines:
        if not budget.ok:
            break
        try:
            line = _clean(raw)
            if line:
                n, b = _line_statements(line, budget)
                named += n
                bare += b
        except Exception:  # never fatal: keep what the other lines give
            continue
    return _group(named, bare)


def parse_answer(text: str) -> list[Program]:
    """Every program an answer holds (usually one, possibly none). Never raises."""
    programs: list[Program] = []
    try:
        if not isinstance(text, str):
            return []
        for pattern, replacement in _REPLACE:
            text = pattern.sub(replacement, text)
        budget = _Budget(len(text))
        fenced, outside = _blocks(text)
        for block in fenced:
            programs += _read(block, budget)
        if not programs:
            programs = _read(outside, budget)
        return list(dict.fromkeys(programs))
    except Exception:
        return programs


@dataclass
class AnswerStats:
    """What a file of answers gave: how many answers, how many yielded a program, and all
    the programs (in answer order; the same program from two answers counts twice, because
    the grammar weighs productions by how often the model used them)."""
    total: int = 0
    parsed: int = 0
    programs: list[Program] = field(default_factory=list)

    @property
    def failed(self) -> int:
        return self.total - self.parsed


def parse_answers(lines: list[str]) -> AnswerStats:
    """Parse one answer per line; blank lines are not answers."""
    stats = AnswerStats()
    for line in lines:
        if not line.strip():
            continue
        stats.total += 1
        found = parse_answer(line)
        if found:
            stats.parsed += 1
            stats.programs += found
    return stats
