"""The probabilistic grammar (synth/grammar.py), in this process: each nonterminal's
productions form a distribution, operands are type-correct for the output's shape, guidance
makes what it saw cheaper without making the rest impossible, the styles of the ablation
keep what they say, and the heuristic of A* is the cheapest completion."""
from __future__ import annotations

import math

import pytest
from synth_kernel import gemv

from tensorlift.synth.grammar import Operand, build_grammar
from tensorlift.synth.guide import REDUCTION, Hints, static_guidance


def operand_costs(g):
    return {str(p.operand): p.cost for p in g.prods["F"] if p.operand is not None}


def test_each_nonterminal_is_a_distribution():
    g = build_grammar(gemv(), "y", static_guidance(gemv()).outputs["y"], {"A", "x"})
    for nt, prods in g.prods.items():
        assert all(p.cost >= 0 for p in prods), nt
        assert math.isclose(sum(2 ** -p.cost for p in prods), 1.0, rel_tol=1e-9), nt
    assert len({p.ident for ps in g.prods.values() for p in ps}) == sum(map(len, g.prods.values()))


def test_operands_follow_the_shapes():
    """y has y's extent m: A(i, j) fits (its rows run with y), x(i) does not (x has n)."""
    g = build_grammar(gemv(), "y", Hints(), {"A", "x"})
    ops = {p.operand for p in g.prods["F"] if p.operand is not None}
    assert Operand("access", "A", (("o", 0), ("r", 0))) in ops
    assert Operand("access", "x", (("r", 0),)) in ops
    assert Operand("access", "x", (("o", 0),)) not in ops
    assert Operand("access", "A", (("r", 0), ("o", 0))) not in ops
    assert Operand("scalar", "alpha") in ops                # a value scalar; m and n are sizes, never operands
    assert not any(o.kind == "scalar" and o.name in ("m", "n") for o in ops)
    assert {o.value for o in ops if o.kind == "const"} >= {0, 1, 2}
    assert not any(o.kind == "access" and o.name == "y" for o in ops)     # not readable before it is written
    assert g.max_reductions == 1                            # two loops around one output index


def test_accumulation_only_for_an_output_the_statement_may_read():
    assert [p.label for p in build_grammar(gemv(), "y", Hints(), {"A", "x"}).prods["S"]] == ["="]
    assert [p.label for p in build_grammar(gemv(), "y", Hints(), {"A", "x", "y"}).prods["S"]] == ["=", "+="]


def test_guidance_makes_what_it_saw_cheaper_and_keeps_the_rest_possible():
    plain = operand_costs(build_grammar(gemv(), "y", Hints(), {"A", "x"}))
    hints = Hints()
    hints.patterns[("x", (REDUCTION,))] = 3
    hints.arrays["x"] = 3
    guided = operand_costs(build_grammar(gemv(), "y", hints, {"A", "x"}))
    assert guided["x(r0)"] < plain["x(r0)"]
    assert guided["x(r0)"] < guided["A(o0,r0)"] < math.inf       # unseen: smoothed, not dropped


@pytest.mark.parametrize("style", ["learned", "equal", "full", "answers-only"])
def test_every_style_keeps_a_derivation_that_finishes(style):
    g = build_grammar(gemv(), "y", static_guidance(gemv()).outputs["y"], {"A", "x"}, style)
    assert all(math.isfinite(c) for c in g.min_cost.values())
    labels = {p.label for p in g.prods["S"]} | {p.label for p in g.prods["E'1"]} | {p.label for p in g.prods["T'1"]}
    assert {"=", "eps"} <= labels


def test_styles_differ_as_the_ablation_says():
    hints = static_guidance(gemv()).outputs["y"]          # the C multiplies; it never divides or subtracts
    full = build_grammar(gemv(), "y", hints, {"A", "x"}, "full")
    only = build_grammar(gemv(), "y", hints, {"A", "x"}, "answers-only")
    assert {p.label for p in full.prods["T'1"]} == {"eps", "*", "/"}
    assert len({round(p.cost, 9) for p in full.prods["T'1"]}) == 1        # equal weights
    assert {p.label for p in only.prods["T'1"]} == {"eps", "*"}           # what the guidance used, only
    assert {p.label for p in only.prods["E'1"]} == {"eps"}


def test_min_cost_is_the_cheapest_completion():
    g = build_grammar(gemv(), "y", static_guidance(gemv()).outputs["y"], {"A", "x"})
    for nt, prods in g.prods.items():
        completions = [p.cost + sum(g.min_cost[s] for s in p.rhs) for p in prods]
        assert math.isclose(g.min_cost[nt], min(completions), abs_tol=1e-9), nt
    # S -> = E, E -> pos T E'1, T -> F T'1, F -> operand, T'1 -> eps, E'1 -> eps: the cheapest program
    cheapest_operand = min(p.cost for p in g.prods["F"])
    eps = {nt: next(p.cost for p in g.prods[nt] if p.label == "eps") for nt in ("E'1", "T'1")}
    want = g.prods["S"][0].cost + next(p.cost for p in g.prods["E"] if p.label == "pos") + cheapest_operand + \
        eps["E'1"] + eps["T'1"]
    assert math.isclose(g.min_cost["S"], want, abs_tol=1e-9)
