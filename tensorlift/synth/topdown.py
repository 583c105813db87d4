"""Top-down best-first (A*) search over a grammar, cheapest programs first.

A state is a leftmost derivation: the productions applied so far and the stack of
symbols still to expand. f = g + h, where g is the cost of the productions applied and
h the sum of the cheapest completions of the symbols on the stack, which never
overestimates, so complete programs come out in order of cost.

Two rules keep the space small without losing programs: index variables are numbered in
order of first use, and the factors of a product (terms of a sum) must appear in a
canonical order, so `A*B` and `B*A` are not both tried.
"""
from __future__ import annotations

import heapq
import itertools
import time
from typing import Callable, Optional

from .grammar import Grammar, Operand, Prod
from ..taco.ir import Access, BinOp, Call, Const, Expr, Neg, Statement

MAX_DERIVATION = 60          # productions in one candidate
INDEX_NAMES = "ijklmnpqrstuvwxyz"


def index_variables(grammar: Grammar, avoid_names: set[str]) -> tuple[list[str], list[str]]:
    """Names of the output's index variables and of the reduction variables, none of them
    a tensor's name."""
    names = [c for c in INDEX_NAMES if c not in avoid_names] + [f"i{n}" for n in range(20)]
    return names[:grammar.order], names[grammar.order:grammar.order + grammar.max_reductions]


def _key(p: Prod) -> str:
    """Ordering key of a production: reduction variables count as alike, so that every
    order of a product has the same key as its canonical renaming."""
    if p.operand is None:
        return f"1{p.label}"
    o = p.operand
    if o.kind == "access":
        slots = ",".join(f"o{n}" if k == "o" else "r" for k, n in o.slots)
        return f"0c{o.name}({slots})"
    # constants, then scalars, then tensors: `2 * alpha * A(i,j)` reads naturally
    return f"0a{o.value!r}" if o.kind == "const" else f"0b{o.name}"


class Search:
    def __init__(self, grammar: Grammar, avoid_names: set[str]):
        self.g = grammar
        self.by_id = {p.ident: p for prods in grammar.prods.values() for p in prods}
        self.keys = {i: _key(p) for i, p in self.by_id.items()}
        # what a production adds to h: the cheapest completions of the symbols it pushes
        self.rhs_h = {i: sum(grammar.min_cost[s] for s in p.rhs) for i, p in self.by_id.items()}
        self.out_vars, self.red_vars = index_variables(grammar, avoid_names)
        self.candidates = self.expansions = 0
        self.exhausted = False

    def passing(self, check: Callable[[Statement], bool], deadline: float, max_candidates: int = 1_000_000):
        """Statements that pass `check`, cheapest first; the caller may reject one (say,
        when verification refutes it) and take the next. Counts are kept on the object."""
        self.candidates = self.expansions = 0
        self.exhausted = False
        g = self.g
        mc = g.min_cost
        counter = itertools.count()
        heap = [(mc["S"], next(counter), 0.0, (), ("S",), ())]
        seen_programs: set[str] = set()
        while heap:
            f, _, cost, deriv, stack, red = heapq.heappop(heap)
            self.expansions += 1
            if self.expansions % 256 == 0 and time.monotonic() > deadline:
                return
            # close finished chain elements, checking their canonical order
            ok = True
            while stack and isinstance(stack[-1], tuple) and stack[-1][0] == "order":
                _, start, prev = stack[-1]
                key = tuple(self.keys[i] for i in deriv[start:])
                if prev is not None and key < prev:
                    ok = False
                    break
                stack = stack[:-1]
                if stack and isinstance(stack[-1], tuple) and stack[-1][0][:2] in ("T'", "E'"):
                    nt, _, ordered = stack[-1]
                    stack = stack[:-1] + ((nt, key if ordered else None, ordered),)
            if not ok:
                continue
            if not stack:
                stmt = self.build(deriv)
                text = str(stmt)
                if text in seen_programs:
                    continue
                seen_programs.add(text)
                self.candidates += 1
                if check(stmt):
                    yield stmt
                if self.candidates >= max_candidates or time.monotonic() > deadline:
                    return
                continue
            if len(deriv) >= MAX_DERIVATION:
                continue
            sym, rest = stack[-1], stack[:-1]
            nt, prev, ordered = (sym, None, True) if isinstance(sym, str) else sym
            h_rest = f - cost - mc[nt]
            for p in g.prods[nt]:
                new_red = red
                if p.operand is not None and p.operand.kind == "access":
                    new_red = self._bind(p.operand, red)
                    if new_red is None:
                        continue
                pushed = self._push(p, prev, ordered, len(deriv) + 1)
                new_stack = rest + pushed
                g2 = cost + p.cost
                h = h_rest + self.rhs_h[p.ident]
                heapq.heappush(heap, (g2 + h, next(counter), g2, deriv + (p.ident,), new_stack, new_red))
        self.exhausted = True

    def _push(self, p: Prod, prev, ordered: bool, start: int) -> tuple:
        """Symbols to push (last one expanded first). A chain continuation carries the key
        of the element before it; an `order` marker closes the element just started."""
        if p.lhs[:2] == "T'":
            if p.label == "eps":
                return ()
            keep = ordered and p.label == "*"
            return ((p.rhs[1], None, keep), ("order", start, prev if keep else None), "F")
        if p.lhs[:2] == "E'":
            if p.label == "eps":
                return ()
            return ((p.rhs[1], None, True), ("order", start, prev), "T")
        if p.lhs in ("T", "E"):
            return ((p.rhs[1], None, True), ("order", start, None), p.rhs[0])
        return tuple(reversed(p.rhs))

    def _bind(self, op: Operand, red: tuple) -> Optional[tuple]:
        """Reduction variables in order of first use, each with one extent."""
        ext = list(red)
        shape = self.g.shapes[op.name]
        for (kind, n), dim in zip(op.slots, shape):
            if kind != "r":
                continue
            if n < len(ext):
                if ext[n] != dim:
                    return None
            elif n == len(ext):
                ext.append(dim)
            else:
                return None
        return tuple(ext)

    # -- building the statement ----------------------------------------
    def build(self, deriv: tuple) -> Statement:
        it = iter(self.by_id[i] for i in deriv)
        s = next(it)
        rhs = self._e(it)
        lhs = Access(self.g.output, tuple(self.out_vars))
        return Statement(lhs, rhs, accumulate=s.label == "+=")

    def _e(self, it) -> Expr:
        p = next(it)
        acc = self._t(it)
        if p.label == "neg":
            acc = Neg(acc)
        while True:
            p = next(it)
            if p.label == "eps":
                return acc
            acc = BinOp(p.label, acc, self._t(it))

    def _t(self, it) -> Expr:
        next(it)   # T -> F T'
        acc = self._f(it)
        while True:
            p = next(it)
            if p.label == "eps":
                return acc
            acc = BinOp(p.label, acc, self._f(it))

    def _f(self, it) -> Expr:
        p = next(it)
        if p.label == "operand":
            return self.leaf(p.operand)
        if p.label == "paren":
            return self._e(it)
        return Call(p.label, tuple(self._e(it) for _ in p.rhs))

    def leaf(self, op: Operand) -> Expr:
        if op.kind == "const":
            return Const(op.value)
        names = tuple(self.out_vars[n] if k == "o" else self.red_vars[n] for k, n in op.slots)
        return Access(op.name, names)
