"""Bottom-up enumeration by cost, with observational equivalence on the examples.

Expressions are built from cheaper ones, level by level of cost (in half-bit steps of
the same grammar the top-down search uses). Each keeps its value on every example as an
array over all of its index variables, not yet summed: two expressions with the same
variables and the same values behave alike in any context (TACO sums a variable where
all its uses meet, which depends only on which variables occur), so only the cheaper is
kept.
"""
from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Optional

import numpy as np

from ..c.affine import Affine
from .check import Checker
from ..taco.evaluate import EvalError, align, apply_op, evaluate_expr
from .grammar import Grammar
from ..taco.ir import Access, BinOp, Const, Expr, Neg, Statement
from .topdown import index_variables

STEP = 0.5            # bits per cost level
MAX_LEVEL = 160


@dataclass
class _Item:
    expr: Expr
    level: int
    names: tuple[str, ...]            # axes of the values
    extents: dict[str, Affine]
    values: list[np.ndarray]          # one per example


class BottomUp:
    def __init__(self, grammar: Grammar, avoid_names: set[str]):
        self.g = grammar
        self.out_vars, self.red_vars = index_variables(grammar, avoid_names)
        self.candidates = self.expansions = 0
        self.exhausted = False
        cost = {(p.lhs, p.label): p.cost for prods in grammar.prods.values() for p in prods if p.operand is None}
        self.op_level = {op: self._lvl(cost.get(("E'1" if op in "+-" else "T'1", op), 99)) for op in "+-*/"}
        self.neg_level = self._lvl(cost.get(("E", "neg"), 99))
        self.paren_level = self._lvl(cost.get(("F", "paren"), 99))
        self.stmt_level = {lbl: self._lvl(cost[("S", lbl)]) for lbl in ("=", "+=") if ("S", lbl) in cost}

    @staticmethod
    def _lvl(cost: float) -> int:
        return max(0, int(round(cost / STEP)))

    def passing(self, check: Checker, deadline: float, max_candidates: int = 1_000_000):
        envs = [env for env, *_ in check.cases]
        dtypes = check.dtypes
        banks: dict[int, list[_Item]] = {}
        seen: set = set()
        leaves: dict[int, list[_Item]] = {}
        for p in self.g.prods["F"]:
            if p.operand is None:
                continue
            item = self._leaf(p.operand, self._lvl(p.cost), envs, dtypes)
            if item is not None:
                leaves.setdefault(item.level, []).append(item)
        tried: set[str] = set()
        later: dict[int, list[_Item]] = {}     # combinations that cost more than their level
        for level in range(MAX_LEVEL):
            new: list[_Item] = list(leaves.get(level, [])) + later.pop(level, [])
            for item in self._combinations(level, banks):
                (new if item.level == level else later.setdefault(item.level, [])).append(item)
            for item in new:
                self.expansions += 1
                if time.monotonic() > deadline or self.candidates >= max_candidates:
                    return
                key = self._key(item)
                if key is None or key in seen:
                    continue
                seen.add(key)
                banks.setdefault(level, []).append(item)
                for stmt in self._statements(item, tried):
                    self.candidates += 1
                    if check(stmt):
                        yield stmt
        self.exhausted = True

    # -- items -----------------------------------------------------------
    def _leaf(self, op, level, envs, dtypes) -> Optional[_Item]:
        if op.kind == "const":
            expr: Expr = Const(op.value)
            names, extents = (), {}
        else:
            idx = tuple(self.out_vars[n] if k == "o" else self.red_vars[n] for k, n in op.slots)
            expr = Access(op.name, idx)
            shape = self.g.shapes.get(op.name, [])
            extents = {}
            for v, e in zip(idx, shape):
                if extents.setdefault(v, e) != e:
                    return None
            names = tuple(dict.fromkeys(idx))
        try:
            values = [evaluate_expr(expr, env, dtypes, keep=names)[0] for env in envs]
        except EvalError:
            return None
        return _Item(expr, level, names, extents, values)

    def _combinations(self, level: int, banks: dict[int, list[_Item]]) -> list[_Item]:
        out: list[_Item] = []
        for a in banks.get(level - self.neg_level, []):
            if not isinstance(a.expr, Neg):
                out.append(_Item(Neg(a.expr), level, a.names, a.extents, [-v for v in a.values]))
        for op, lo in self.op_level.items():
            for la in range(0, level - lo + 1):
                lb = level - lo - la
                if op in "+*" and la > lb:
                    continue       # commutative: each unordered pair once
                for ia, a in enumerate(banks.get(la, [])):
                    for ib, b in enumerate(banks.get(lb, [])):
                        if op in "+*" and la == lb and ib < ia:
                            continue
                        item = self._combine(op, a, b, level)
                        if item is not None:
                            out.append(item)
        return out

    def _combine(self, op: str, a: _Item, b: _Item, level: int) -> Optional[_Item]:
        for v in set(a.extents) & set(b.extents):
            if a.extents[v] != b.extents[v]:
                return None
        if op in "*/" and any(isinstance(x.expr, BinOp) and x.expr.op in "+-" for x in (a, b)):
            level += self.paren_level      # a sum inside a product needs brackets
        names = tuple(dict.fromkeys(a.names + b.names))
        try:
            with np.errstate(all="ignore"):
                values = [apply_op(op, align(va, a.names, names), align(vb, b.names, names))
                          for va, vb in zip(a.values, b.values)]
        except EvalError:
            return None
        return _Item(BinOp(op, a.expr, b.expr), level, names, {**a.extents, **b.extents}, values)

    @staticmethod
    def _key(item: _Item):
        order = sorted(range(len(item.names)), key=lambda k: item.names[k])
        parts = [tuple(item.names[k] for k in order)]
        for v in item.values:
            v = np.transpose(np.asarray(v), order) if order else np.asarray(v)
            if v.dtype.kind == "f":
                if not np.all(np.isfinite(v)):
                    return None
                v = np.round(v, 9)
            parts.append((v.shape, v.tobytes()))
        return tuple(parts)

    def _statements(self, item: _Item, tried: set[str]):
        lhs = Access(self.g.output, tuple(self.out_vars))
        for label in self.stmt_level:
            st = Statement(lhs, item.expr, accumulate=label == "+=")
            text = str(st)
            if text not in tried:
                tried.add(text)
                yield st
