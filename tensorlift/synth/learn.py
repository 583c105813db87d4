"""Guidance learned from a language model's answers.

Answers are parsed (never trusted), their tensor names are mapped onto the kernel's
parameters, and every statement is read as a derivation of our grammar: which statement
form, how many terms and factors, which operands with which index pattern relative to the
output. Those counts become the grammar's weights; a wrong answer still contributes the
fragments it got right.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

from ..llm.answers import MISSING, parse_answer
from .guide import REDUCTION, Guidance, Hints
from ..taco.ir import (Access, BinOp, Call, Const, Expr, Neg, Program, Statement, accesses, is_index_value,
                       transform_statement)
from ..signature import Signature


@dataclass
class Answers:
    """What the model said: the raw texts, and the programs each one parsed into,
    already mapped onto the kernel's names (None where a name could not be mapped)."""
    texts: list[str]
    parsed: list[list[Program]] = field(default_factory=list)
    mapped: list[list[Optional[Program]]] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.texts)

    @property
    def parsed_count(self) -> int:
        return sum(1 for p in self.parsed if p)


def read_answers(texts: list[str], sig: Signature) -> Answers:
    a = Answers(texts)
    for t in texts:
        programs = parse_answer(t)
        a.parsed.append(programs)
        a.mapped.append([map_program(p, sig) for p in programs])
    return a


# ---------------------------------------------------------------- names


def _aliases(name: str) -> set[str]:
    low = name.lower()
    out = {low, low.replace(".", "_"), low.replace(".", "")}
    if "." in low:
        head, tail = low.split(".", 1)
        if tail == "vals":       # models call a struct's value array by the struct's name
            out.add(head)
    return out


def map_program(program: Program, sig: Signature) -> Optional[Program]:
    """The program with the model's tensor names replaced by the kernel's: by name (case,
    `a.vals` as `a` or `a_vals`), then a missing or unknown left side by the outputs of its
    order, then the rest by order in C order. None when a name has no counterpart."""
    orders = {p.name: len(p.shape or []) for p in sig.arrays}
    scalars = [p.name for p in sig.params if p.kind == "scalar"]
    outputs = sig.outputs
    mapping: dict[str, str] = {}
    claimed: set[str] = set()
    used: list[tuple[str, int, bool]] = []       # (model name, order, on the left)
    for st in program.statements:
        used.append((st.lhs.name, len(st.lhs.indices), True))
        used += [(a.name, len(a.indices), False) for e in (st.rhs, st.domain) if e is not None
                 for a in accesses(e) if not is_index_value(a, st.lhs)]

    def fits(kernel_name: str, order: int) -> bool:
        if kernel_name in orders:
            return orders[kernel_name] == order
        return order == 0 and (kernel_name in scalars or kernel_name == sig.function)

    known = [p.name for p in sig.params] + ([sig.function] if sig.returns else [])
    for name, order, _ in used:     # 1. by name
        if name in mapping or name == MISSING.name:
            continue
        for k in known:
            if k not in claimed and name.lower() in _aliases(k) and fits(k, order):
                mapping[name] = k
                claimed.add(k)
                break
    for name, order, lhs in used:   # 2. an unknown left side: the output of its order
        if lhs and name not in mapping:
            free = [o for o in outputs if o not in claimed and fits(o, order)]
            if free:
                mapping[name] = free[0]
                claimed.add(free[0])
    for name, order, lhs in used:   # 3. the rest by order, inputs before outputs
        if name in mapping:
            continue
        pool = [p.name for p in sig.params if p.kind == "array" and p.access != "write"] if order else \
            [p.name for p in sig.params if p.kind == "scalar" and p.role == "value"]
        free = [k for k in pool if k not in claimed and fits(k, order)]
        if not free:
            return None
        mapping[name] = free[0]
        claimed.add(free[0])
    try:
        return Program(tuple(_rename(st, mapping) for st in program.statements))
    except KeyError:
        return None


def _rename(st: Statement, m: dict[str, str]) -> Statement:
    """The statement with every tensor named by `m` (a KeyError for a name it lacks); the left
    side's variables used as numbers are not tensors and keep their names."""
    return transform_statement(st, lambda x: Access(m[x.name], x.indices)
                               if isinstance(x, Access) and not is_index_value(x, st.lhs) else None)


# ---------------------------------------------------------------- counts


def learned_guidance(answers: Answers, sig: Signature) -> Guidance:
    hints = {o: Hints() for o in sig.outputs}
    for programs in answers.mapped:
        for prog in programs:
            if prog is None:
                continue
            for st in prog.statements:
                h = hints.get(st.lhs.name)
                if h is not None:
                    count_statement(st, h)
    return Guidance("llm", hints)


def count_statement(st: Statement, h: Hints) -> None:
    """Adds one statement's productions to the hints."""
    out = st.lhs
    h.prods[("S", "+=" if st.accumulate else "=")] += 1
    if st.accumulate or any(a.name == out.name for a in accesses(st.rhs)):
        h.accumulate = True
    for a in accesses(st.rhs):
        pat = tuple(out.indices.index(v) if v in out.indices else REDUCTION for v in a.indices)
        if a.indices:
            h.patterns[(a.name, pat)] += 1
            h.arrays[a.name] += 1
        else:
            h.scalars[a.name] += 1
    _count_e(st.rhs, h)


def _terms(e: Expr) -> list[tuple[str, Expr]]:
    if isinstance(e, BinOp) and e.op in "+-":
        return _terms(e.left) + [(e.op, e.right)]
    return [("", e)]


def _factors(e: Expr) -> list[tuple[str, Expr]]:
    if isinstance(e, BinOp) and e.op in "*/":
        return _factors(e.left) + [(e.op, e.right)]
    return [("", e)]


def _count_e(e: Expr, h: Hints) -> None:
    terms = _terms(e)
    first = terms[0][1]
    if isinstance(first, Neg):
        h.prods[("E", "neg")] += 1
        h.ops["neg"] += 1
        terms[0] = ("", first.operand)
    else:
        h.prods[("E", "pos")] += 1
    for op, t in terms:
        if op:
            h.ops[op] += 1
        _count_t(t, h)
    h.prods[("terms", len(terms))] += 1


def _count_t(t: Expr, h: Hints) -> None:
    factors = _factors(t)
    for op, f in factors:
        if op:
            h.ops[op] += 1
        _count_f(f, h)
    h.prods[("factors", len(factors))] += 1


def _count_f(f: Expr, h: Hints) -> None:
    if isinstance(f, Access):
        h.prods[("F", "operand")] += 1
    elif isinstance(f, Const):
        h.prods[("F", "operand")] += 1
        h.constants[f.value] += 1
    elif isinstance(f, Call):
        h.prods[("F", f.func)] += 1
        h.calls[f.func] += 1
        for a in f.args:
            _count_e(a, h)
    else:
        h.prods[("F", "paren")] += 1
        _count_e(f, h)


def merge(*guides: Guidance) -> Guidance:
    """Counts added up: the model's answers and the static features of the code together."""
    outputs: dict[str, Hints] = {}
    for g in guides:
        for o, h in g.outputs.items():
            m = outputs.setdefault(o, Hints())
            for attr in ("patterns", "arrays", "scalars", "constants", "ops", "calls", "prods"):
                getattr(m, attr).update(getattr(h, attr))
            m.accumulate = m.accumulate or h.accumulate
            m.translations += [t for t in h.translations if t not in m.translations]
            m.limit = m.limit or h.limit
    return Guidance("+".join(g.name for g in guides), outputs)
