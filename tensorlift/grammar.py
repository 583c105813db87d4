"""The probabilistic grammar of one output's statement.

The grammar is in a left-factored form, so that a leftmost derivation builds sums and
products as chains and the search can keep each commutative chain in one canonical
order:

    S  -> out = E | out += E
    E  -> T E' | neg T E'          E' -> eps | + T E' | - T E'
    T  -> F T'                     T' -> eps | * F T' | / F T'
    F  -> operand | ( E ) | call ( E ) | call2 ( E , E )

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

from .affine import Affine, parse_affine
from .analysis import Analysis
from .guide import REDUCTION, Hints
from .ir import Const

SMOOTH = 0.02          # weight of a type-correct production the guidance never saw
MAX_REDUCTIONS = 3


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
    extents: dict[str, Affine]              # array name -> tuple of dim extents
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
    total = sum(w for *_, w in weights)
    return [(*rest, -math.log2(w / total)) for *rest, w in weights if w > 0]


def build_grammar(analysis: Analysis, output: str, hints: Hints, operands_from: set[str],
                  style: str = "learned", equal: bool = False) -> Grammar:
    """`operands_from`: arrays whose values the statement may read (inputs, and outputs
    already computed). `equal`: every production of a nonterminal gets the same weight."""
    sig = analysis.signature
    shapes = {p.name: [parse_affine(s) for s in p.shape] for p in sig.arrays}
    out_shape = shapes.get(output, [])
    order = len(out_shape)
    depth = _loop_depth(analysis)
    max_red = min(MAX_REDUCTIONS, max(depth - order, 0, _guide_reductions(hints)))

    def w(guided: float, default: float) -> float:
        return 1.0 if equal else guided if guided > 0 else default

    ops = hints.ops
    prods: dict[str, list[Prod]] = {}
    accumulate_ok = output in operands_from
    s_choices = [("=", w(1.0, 1.0))]
    if accumulate_ok:
        s_choices.append(("+=", w(2.0 if hints.accumulate else 0.0, 0.5)))
    prods["S"] = [Prod("S", lbl, ("E",), c) for lbl, c in _norm(s_choices)]
    prods["E"] = [Prod("E", lbl, rhs, c) for lbl, rhs, c in _norm([
        ("pos", ("T", "E'"), w(1.0, 1.0)), ("neg", ("T", "E'"), w(ops["neg"] + 0.05, 0.05))])]
    prods["E'"] = [Prod("E'", lbl, rhs, c) for lbl, rhs, c in _norm([
        ("eps", (), w(1.0, 1.0)), ("+", ("T", "E'"), w(ops["+"] + 0.2, 0.2)),
        ("-", ("T", "E'"), w(ops["-"] + 0.1, 0.1))])]
    prods["T"] = [Prod("T", "chain", ("F", "T'"), 0.0)]
    prods["T'"] = [Prod("T'", lbl, rhs, c) for lbl, rhs, c in _norm([
        ("eps", (), w(1.0, 1.0)), ("*", ("F", "T'"), w(ops["*"] + 0.2, 0.2)),
        ("/", ("F", "T'"), w(ops["/"] + 0.05, 0.05))])]
    operands = _operands(analysis, output, hints, operands_from, shapes, out_shape, max_red, equal)
    f_choices = [("operand", None, w(1.0, 1.0)),
                 ("paren", ("E",), w(0.08 if ops["+"] + ops["-"] else 0.03, 0.03))]
    for fn in ("max", "min"):
        if hints.calls[fn] or hints.calls["f" + fn] or (hints.calls["select"] and not equal):
            f_choices.append((fn, ("E", "E"), w(0.3, 0.3)))
    for fn in ("sqrt", "exp", "abs"):
        if hints.calls[fn] or hints.calls["f" + fn]:
            f_choices.append((fn, ("E",), w(0.3, 0.3)))
    f_prods = []
    for lbl, rhs, c in _norm(f_choices):
        if lbl == "operand":
            for op, oc in operands:
                f_prods.append(Prod("F", "operand", (), c + oc, op))
        else:
            f_prods.append(Prod("F", lbl, rhs, c))
    prods["F"] = f_prods
    ident = itertools.count()
    for nt in prods:
        prods[nt] = [Prod(p.lhs, p.label, p.rhs, p.cost, p.operand, next(ident)) for p in prods[nt]]
    g = Grammar(output, order, out_shape, {}, prods, max_reductions=max_red, shapes=shapes)
    g.compute_min_costs()
    return g


def _loop_depth(analysis: Analysis) -> int:
    from .guide import _walk
    from pycparser import c_ast

    def depth(node) -> int:
        here = isinstance(node, (c_ast.For, c_ast.While, c_ast.DoWhile))
        inner = max((depth(c) for _, c in node.children()), default=0)
        return inner + here
    return max(depth(f.body) for f in analysis.kernel.functions.values())


def _guide_reductions(hints: Hints) -> int:
    return max((sum(1 for x in pat if x == REDUCTION) for (_, pat) in hints.patterns), default=0)


def _operands(analysis, output, hints: Hints, operands_from, shapes, out_shape, max_red, equal):
    """Every type-correct operand with its cost within the operand group."""
    sig = analysis.signature
    weights: list[tuple[Operand, float]] = []
    seen_arrays = set(hints.arrays)
    for name in sorted(operands_from, key=lambda n: [p.name for p in sig.params].index(n)):
        shape = shapes[name]
        slot_choices = []
        for d, ext in enumerate(shape):
            opts = [("o", i) for i, oe in enumerate(out_shape) if oe == ext]
            opts += [("r", n) for n in range(max_red)]
            slot_choices.append(opts)
        for slots in itertools.product(*slot_choices):
            op = Operand("access", name, tuple(slots))
            abstract = tuple(i if k == "o" else REDUCTION for k, i in slots)
            count = hints.patterns.get((name, abstract), 0)
            if equal:
                wt = 1.0
            elif count:
                wt = 1.0 + count
            elif name in seen_arrays:
                wt = 0.1
            else:
                wt = SMOOTH
            weights.append((op, wt))
    arith = analysis.arithmetic_scalars
    for p in sig.params:
        if p.kind == "scalar" and p.name in arith:
            weights.append((Operand("scalar", p.name), 1.0 if equal else 1.0 + hints.scalars[p.name] if hints.scalars[p.name] else 0.1))
    consts = dict(hints.constants)
    for c in (1, 2, 0):
        consts.setdefault(c, 0)
    for c, n in consts.items():
        weights.append((Operand("const", value=c), 1.0 if equal else 0.5 + n if n else SMOOTH))
    return [(op, c) for op, c in _norm(weights)]
