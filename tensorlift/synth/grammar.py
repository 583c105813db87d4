"""The probabilistic grammar of one output's statement.

The grammar is in a left-factored form, so that a leftmost derivation builds sums and
products as chains and the search can keep each commutative chain in one canonical
order:

    S  -> out = E | out += E
    E  -> T E'1 | neg T E'1        E'k -> eps | + T E'k+1 | - T E'k+1
    T  -> F T'1                    T'k -> eps | * F T'k+1 | / F T'k+1
    F  -> operand | ( E ) | call ( E ) | call2 ( E , E )

A chain nonterminal carries the number of elements so far (E'2: two terms), so the
probability of stopping can follow the lengths the guidance saw: answers that are all
two-factor products make `A(i,j) * x(j)` cheaper than `A(i,j)` alone.

Operands are the kernel's own tensors with index patterns relative to the output,
its value scalars, and constants. Every production has a probability; its cost is
-log2 p. Weights come from a guidance object; smoothing keeps every type-correct
production possible, so the right program stays reachable when the guidance is wrong.
"""
from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field
from typing import Optional, Union

from ..c.affine import Affine
from ..c.analysis import Analysis
from ..c import ast as A
from .guide import REDUCTION, Hints
from ..taco.ops import GRAMMAR_FUNCTIONS
from ..taco.ir import Const

SMOOTH = 0.02          # weight of a type-correct production the guidance never saw
MAX_REDUCTIONS = 3
MAX_CHAIN = 6          # terms of a sum, factors of a product


@dataclass(frozen=True)
class Operand:
    """A leaf: a tensor access with index slots (`("o", d)` output index d, `("r", n)`
    reduction variable n), a scalar, or a constant."""
    kind: str                        # "access" | "scalar" | "const"
    name: str = ""
    slots: tuple = ()
    value: Union[int, float, None] = None

    def __str__(self):
        if self.kind == "const":
            return str(Const(self.value))
        if not self.slots:
            return self.name
        return f"{self.name}({','.join(f'{k}{n}' for k, n in self.slots)})"


@dataclass(frozen=True)
class Prod:
    """A production: its left nonterminal, a label (the operator, `eps`, `operand`, ...),
    the symbols it pushes, its operand if any, and its cost in bits."""
    lhs: str
    label: str
    rhs: tuple[str, ...]
    cost: float
    operand: Optional[Operand] = None
    ident: int = 0


@dataclass
class Grammar:
    output: str
    order: int                              # of the output
    out_shape: list[Affine]
    prods: dict[str, list[Prod]]
    min_cost: dict[str, float] = field(default_factory=dict)
    max_reductions: int = 0
    shapes: dict[str, list[Affine]] = field(default_factory=dict)

    def compute_min_costs(self):
        """The cheapest completion of each nonterminal: the admissible heuristic of A*."""
        inf = math.inf
        best = {nt: inf for nt in self.prods}
        for _ in range(50):
            changed = False
            for nt, prods in self.prods.items():
                for p in prods:
                    c = p.cost + sum(best.get(s, 0.0) for s in p.rhs)
                    if c < best[nt] - 1e-12:
                        best[nt] = c
                        changed = True
            if not changed:
                break
        self.min_cost = best


def _norm(weights: list[tuple]) -> list[tuple]:
    """(..., weight) rows to (..., cost in bits), weights normalised to probabilities."""
    total = sum(w for *_, w in weights)
    return [(*rest, -math.log2(w / total)) for *rest, w in weights if w > 0]


def build_grammar(analysis: Analysis, output: str, hints: Hints, operands_from: set[str],
                  style: str = "learned") -> Grammar:
    """`operands_from`: arrays whose values the statement may read (inputs, and outputs
    already computed)."""
    shapes = {name: lay.shape for name, lay in analysis.layouts.items()}
    out_shape = shapes.get(output, [])
    order = len(out_shape)
    max_red = min(MAX_REDUCTIONS, max(_loop_depth(analysis) - order, 0, _guide_reductions(hints)))

    structural = _structural(hints, accumulate_ok=output in operands_from)
    operands = _operands(analysis, hints, operands_from, shapes, out_shape, max_red)
    prods: dict[str, list[Prod]] = {}
    for nt in dict.fromkeys(r[0] for r in structural):
        rows = [r for r in structural if r[0] == nt]
        chosen = _weigh([(r[1:3], r[3], r[4], r[5]) for r in rows], style, keep_always=_ALWAYS[nt[:2]])
        prods[nt] = []
        for (label, rhs), cost in chosen:
            if label == "operand":
                ops = _weigh([((o,), w, seen, d) for o, w, seen, d in operands], style, keep_always=())
                prods[nt] += [Prod("F", "operand", (), cost + oc, op) for (op,), oc in ops]
            else:
                prods[nt].append(Prod(nt, label, rhs, cost))
    prods["T"] = [Prod("T", "chain", ("F", "T'1"), 0.0)]
    ident = itertools.count()
    for nt in prods:
        prods[nt] = [Prod(p.lhs, p.label, p.rhs, p.cost, p.operand, next(ident)) for p in prods[nt]]
    g = Grammar(output, order, out_shape, prods, max_reductions=max_red, shapes=shapes)
    g.compute_min_costs()
    return g


# productions every style keeps, so that a derivation can always finish
_ALWAYS = {"S": ("=",), "E": ("pos",), "E'": ("eps",), "T'": ("eps",), "F": ("operand",)}  # by prefix


def _weigh(rows, style: str, keep_always) -> list[tuple]:
    """Costs of one nonterminal's productions under a grammar style. Each row is
    (production, guided weight, seen by the guidance, smoothing weight)."""
    if style == "full":
        picked = [(p, 1.0) for p, *_ in rows]
    elif style == "equal":
        picked = [(p, 1.0) for p, w, seen, d in rows
                  if seen or p[0] in keep_always or (isinstance(p[0], str) and p[0] in "+-*/")]
    elif style == "answers-only":
        picked = [(p, w if seen else 1.0) for p, w, seen, d in rows if seen or p[0] in keep_always]
    else:
        picked = [(p, w if seen else d) for p, w, seen, d in rows]
    if not picked:   # the guidance saw nothing here: fall back to every production
        picked = [(p, 1.0) for p, *_ in rows]
    return [(p, c) for p, c in _norm(picked)]


def _chain(h: Hints, nt: str, element: str, ops_smooth, lengths: str) -> list[tuple]:
    """Rows of E'k or T'k. With lengths counted in answers, stopping after k elements has
    the probability seen (count of length k over count of length >= k, smoothed); the
    operators share the rest by their counts. Without, a constant rate from the operators
    of the C code."""
    seen_lengths = {n: c for (kind, n), c in h.prods.items() if kind == lengths}
    rows = []
    for k in range(1, MAX_CHAIN + 1):
        name = f"{nt}{k}"
        if seen_lengths:
            at = seen_lengths.get(k, 0)
            beyond = sum(c for n, c in seen_lengths.items() if n >= k)
            stop = (at + 0.1) / (beyond + 0.2)
            rows.append((name, "eps", (), stop, at > 0, stop))
            total = sum(h.ops[op] for op, _ in ops_smooth) or 1
            if k < MAX_CHAIN:
                for op, smooth in ops_smooth:
                    w = (1 - stop) * (h.ops[op] + smooth) / (total + sum(x for _, x in ops_smooth))
                    rows.append((name, op, (element, f"{nt}{k + 1}"), w, h.ops[op] > 0, w))
        else:
            rows.append((name, "eps", (), 1.0, True, 1.0))
            if k < MAX_CHAIN:
                for op, smooth in ops_smooth:
                    rows.append((name, op, (element, f"{nt}{k + 1}"), h.ops[op] + smooth, h.ops[op] > 0, smooth))
    return rows


def _structural(h: Hints, accumulate_ok: bool) -> list[tuple]:
    """(nonterminal, label, rhs, guided weight, seen, smoothing weight) of the operators and
    statement forms. Counts from answers (`h.prods`) when there are any; otherwise the
    operators of the C code."""
    ops, learned = h.ops, any(nt in ("S", "E", "F") for nt, _ in h.prods)

    def row(nt, label, rhs, static_weight, static_seen, default):
        if learned:
            n = h.prods[(nt, label)]
            return (nt, label, rhs, float(n), n > 0, default)
        return (nt, label, rhs, static_weight, static_seen, default)
    rows = [row("S", "=", ("E",), 1.0, True, 1.0)]
    if accumulate_ok:
        rows.append(row("S", "+=", ("E",), 2.0, h.accumulate, 0.5))
    rows += [row("E", "pos", ("T", "E'1"), 1.0, True, 1.0),
             row("E", "neg", ("T", "E'1"), ops["neg"] + 0.05, ops["neg"] > 0, 0.05)]
    rows += _chain(h, "E'", "T", (("+", 0.2), ("-", 0.1)), "terms")
    rows += _chain(h, "T'", "F", (("*", 0.2), ("/", 0.05)), "factors")
    rows += [
        row("F", "operand", (), 1.0, True, 1.0),
        row("F", "paren", ("E",), 0.08 if ops["+"] + ops["-"] else 0.03, False, 0.03),
    ]
    calls = h.calls
    for op in GRAMMAR_FUNCTIONS:
        n = calls[op.name] + calls["f" + op.name] + (calls["select"] if op.arity == 2 else 0)
        if n:
            rows.append(row("F", op.name, ("E",) * op.arity, op.weight, True, op.weight))
    return rows


def _loop_depth(analysis: Analysis) -> int:
    def depth(node) -> int:
        inner = max((depth(c) for c in A.children(node)), default=0)
        return inner + isinstance(node, A.Loop)
    return max(depth(f.body) for f in analysis.kernel.functions.values())


def _guide_reductions(hints: Hints) -> int:
    return max((sum(1 for x in pat if x == REDUCTION) for (_, pat) in hints.patterns), default=0)


def _operands(analysis, hints: Hints, operands_from, shapes, out_shape, max_red):
    """Every type-correct operand: (operand, guided weight, seen, smoothing weight)."""
    sig = analysis.signature
    rows = []
    order = [p.name for p in sig.params]
    for name in sorted(operands_from, key=order.index):
        slot_choices = []
        for ext in shapes[name]:
            opts = [("o", i) for i, oe in enumerate(out_shape) if oe == ext]
            opts += [("r", n) for n in range(max_red)]
            slot_choices.append(opts)
        for slots in itertools.product(*slot_choices):
            abstract = tuple(i if k == "o" else REDUCTION for k, i in slots)
            n = hints.patterns.get((name, abstract), 0)
            other = 0.1 if hints.arrays[name] else SMOOTH
            rows.append((Operand("access", name, tuple(slots)), 1.0 + n, n > 0, other))
    for p in sig.params:
        if p.kind == "scalar" and p.name in analysis.arithmetic_scalars:
            n = hints.scalars[p.name]
            rows.append((Operand("scalar", p.name), 1.0 + n, n > 0, 0.1))
    consts = dict(hints.constants)
    for c in (1, 2, 0):
        consts.setdefault(c, 0)
    for c, n in consts.items():
        rows.append((Operand("const", value=c), 0.5 + n, n > 0, SMOOTH))
    return rows
