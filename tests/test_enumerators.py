"""Both enumerators, in this process: the top-down A* search (synth/topdown.py) gives
programs in order of cost, the first at the heuristic's bound, each commutative chain once;
the bottom-up search (synth/bottomup.py) builds by cost level and keeps one expression per
distinct value on the examples. Both find the program the examples come from."""
from __future__ import annotations

import math
import time

import numpy as np
import pytest
from synth_kernel import examples, gemv

from tensorlift.synth.bottomup import BottomUp
from tensorlift.synth.check import Checker
from tensorlift.synth.grammar import build_grammar
from tensorlift.synth.guide import Hints, static_guidance
from tensorlift.synth.topdown import Search, index_variables
from tensorlift.taco.evaluate import evaluate_expr
from tensorlift.taco.ir import Access, BinOp
from tensorlift.taco.parse import parse_program

AVOID = {"m", "n", "alpha", "A", "x", "y", "gemv"}
RIGHT = "y(i) = alpha * A(i,j) * x(j)"


def grammar(hints=None):
    return build_grammar(gemv(), "y", hints if hints is not None else static_guidance(gemv()).outputs["y"], {"A", "x"})


def checker(program=RIGHT):
    return Checker(gemv().signature, examples(gemv(), program), "y", [])


class CostedSearch(Search):
    """The top-down search, recording the cost of each complete derivation it builds."""
    def __init__(self, *args):
        super().__init__(*args)
        self.costs = []

    def build(self, deriv):
        self.costs.append(sum(self.by_id[i].cost for i in deriv))
        return super().build(deriv)


class LevelledBottomUp(BottomUp):
    """The bottom-up search, recording the cost level of each expression it keeps."""
    def __init__(self, *args):
        super().__init__(*args)
        self.levels = []

    def _statements(self, item, tried):
        self.levels.append(item.level)
        return super()._statements(item, tried)


class Rejecting(Checker):
    """Examples as a checker has them, but every candidate is recorded and rejected."""
    def __call__(self, stmt):
        self.seen.append(stmt)
        return False


def enumerate_all(search, n):
    """The first n candidates of a search, in its order."""
    check = Rejecting(gemv().signature, examples(gemv(), RIGHT), "y", [])
    check.seen = []
    list(search.passing(check, time.monotonic() + 60, max_candidates=n))
    return check.seen


@pytest.mark.parametrize("enumerator", [Search, BottomUp])
def test_finds_the_program_the_examples_come_from(enumerator):
    found = next(enumerator(grammar(), AVOID).passing(checker(), time.monotonic() + 60))
    assert sorted(a.name for a in _accesses(found.rhs)) == ["A", "alpha", "x"], found    # one product of the three
    assert {n.op for n in _binops(found.rhs)} == {"*"} and checker()(found)
    assert not checker()(parse_program("y(i) = A(i,j) * x(j)").statements[0])      # the factor matters


def test_top_down_gives_programs_in_order_of_cost_from_the_bound_up():
    search = CostedSearch(grammar(), AVOID)
    got = enumerate_all(search, 300)
    assert len(got) == 300 and len(search.costs) >= 300       # a program built twice is tried once
    assert all(a <= b + 1e-9 for a, b in zip(search.costs, search.costs[1:]))
    assert math.isclose(search.costs[0], search.g.min_cost["S"], abs_tol=1e-9)       # h never overestimates
    assert len({str(s) for s in got}) == len(got)


def test_top_down_tries_each_product_in_one_order():
    """With products alone (the answers-only style keeps no sums and no brackets here), the
    search is every multiset of 1 to 6 factors out of A(i,j), x(j), alpha: each once, in
    the canonical order, and then it stops."""
    g = build_grammar(gemv(), "y", static_guidance(gemv()).outputs["y"], {"A", "x"}, "answers-only")
    search = Search(g, AVOID)
    got = [str(s) for s in enumerate_all(search, 10_000)]
    assert search.exhausted
    factors = [tuple(sorted(t.split(" = ")[1].split(" * "))) for t in got]
    assert len(set(factors)) == len(factors) == sum(math.comb(k + 2, 2) for k in range(1, 7))
    assert "y(i) = alpha * A(i,j) * x(j)" in got and "y(i) = A(i,j) * alpha * x(j)" not in got


def test_index_variables_never_take_a_tensor_name():
    g = grammar()
    assert index_variables(g, AVOID) == (["i"], ["j"])
    assert index_variables(g, AVOID | {"i", "j"}) == (["k"], ["l"])
    top = next(Search(g, AVOID | {"i"}).passing(checker(), time.monotonic() + 60))
    assert top.lhs == Access("y", ("j",))


def test_bottom_up_builds_by_cost_level():
    search = LevelledBottomUp(grammar(), AVOID)
    enumerate_all(search, 400)
    assert len(search.levels) > 50
    assert search.levels == sorted(search.levels)


def value_keys(statements):
    """Each right side's variables and its values (unsummed) on the examples."""
    check = checker()
    keys = []
    for st in statements:
        names = sorted({v for node in _accesses(st.rhs) for v in node.indices})
        values = []
        for env, *_ in check.cases:
            v, axes = evaluate_expr(st.rhs, env, check.dtypes, keep=names)
            values.append(np.round(np.transpose(v, [axes.index(a) for a in names]) if axes else v, 9).tobytes())
        keys.append((tuple(names), tuple(values)))
    return keys


def test_bottom_up_keeps_one_expression_per_value():
    """Observational equivalence: no two kept expressions have the same variables and the same
    values on every example, where the top-down search (which has no such rule) tries many."""
    bottom = value_keys(enumerate_all(BottomUp(grammar(Hints()), AVOID), 500))
    assert len(bottom) == 500 and len(set(bottom)) == len(bottom)
    top = value_keys(enumerate_all(Search(grammar(Hints()), AVOID), 500))
    assert len(set(top)) < len(top) - 50


def _nodes(e):
    yield e
    for child in (getattr(e, "left", None), getattr(e, "right", None), getattr(e, "operand", None),
                  *(getattr(e, "args", ()) or ())):
        if child is not None:
            yield from _nodes(child)


def _accesses(e):
    return [n for n in _nodes(e) if isinstance(n, Access)]


def _binops(e):
    return [n for n in _nodes(e) if isinstance(n, BinOp)]


def test_both_enumerators_give_the_same_first_program():
    """On the same grammar and examples both give the same first program."""
    check = checker("y(i) = A(i,j) * x(j)")
    g = grammar()
    first_top = next(Search(g, AVOID).passing(check, time.monotonic() + 60))
    first_bottom = next(BottomUp(g, AVOID).passing(check, time.monotonic() + 60))
    assert check(first_top) and check(first_bottom)
    assert str(first_top) == str(first_bottom) == "y(i) = A(i,j) * x(j)"

