"""No mutant of a corpus program is proved (issue 17): each expected program, with one index
pair swapped, one operator or comparison changed, one term or negation dropped, one constant
changed or added, one reduction or extremum turned around, or `+=` made `=`, is refuted (or at worst unknown) by the prover that
`lift` uses, induction first. Every mutant of every program: about a minute."""
from dataclasses import fields, is_dataclass, replace

import pytest

from benchmarks.corpus import load_corpus
from tensorlift.budget import Budget
from tensorlift.c.frontend import load_kernel
from tensorlift.errors import TensorliftError
from tensorlift.pipeline import prepare
from tensorlift.taco.ir import Access, BinOp, Call, Const, Neg, Not, Reduce, Statement
from tensorlift.taco.parse import parse_program
from tensorlift.verify.prove import Verifier, check_names

EQUIVALENT = {
    # inside `abs(d) >= 1`, `d < 1` is `d < 0`: the mutant computes what the kernel does
    "darknet/smooth_l1_cpu": "where(truth(i) - pred(i) < 1, 1, -1)",
}
_OTHER = {"+": "-", "-": "+", "*": "+", "/": "*", "<": ">", ">": "<", "<=": ">=", ">=": "<=", "==": "!=", "!=": "=="}
_EXTREMA = {"max": "min", "min": "max"}


def mutants(node):
    """Every copy of an IR tree with one mutation."""
    if isinstance(node, tuple):
        for k, item in enumerate(node):
            for m in mutants(item):
                yield node[:k] + (m,) + node[k + 1:]
        return
    if not is_dataclass(node):
        return
    for f in fields(node):
        if isinstance(node, Statement) and f.name == "lhs":
            continue    # `A(j,i) = v` fills A as `A(i,j) = v` does: the left side names, the right computes
        for m in mutants(getattr(node, f.name)):
            yield replace(node, **{f.name: m})
    yield from _here(node)


def _here(node):
    if isinstance(node, Access):
        names = list(dict.fromkeys(i for i in node.indices if isinstance(i, str)))
        if len(names) >= 2:
            a, b = names[:2]
            yield replace(node, indices=tuple(b if i == a else a if i == b else i for i in node.indices))
    elif isinstance(node, BinOp) and node.op in _OTHER:
        yield replace(node, op=_OTHER[node.op])
        if node.op in "+-":
            yield node.left
            yield node.right
    elif isinstance(node, (Neg, Not)):
        yield node.operand
    elif isinstance(node, Const) and not isinstance(node.value, bool):
        yield replace(node, value=node.value + 1 if node.value == 0 else node.value * 2)
    elif isinstance(node, Reduce) and node.op in _EXTREMA:
        yield replace(node, op=_EXTREMA[node.op])
    elif isinstance(node, Call) and node.func in _EXTREMA:
        yield replace(node, func=_EXTREMA[node.func])
    elif isinstance(node, Statement):
        yield replace(node, rhs=BinOp("+", node.rhs, Const(1)))    # a constant more
        if node.accumulate:
            yield replace(node, accumulate=False)


ENTRIES = load_corpus(None)


@pytest.mark.slow
@pytest.mark.parametrize("entry", ENTRIES, ids=[e.name for e in ENTRIES])
def test_no_mutant_of_a_corpus_program_is_proved(entry):
    program = parse_program(entry.program)
    analysis, _ = prepare(load_kernel(entry.path, entry.function), Budget(60), examples=0)
    verifier = Verifier(analysis)
    seen = {str(program)}
    candidates = []
    for m in mutants(program):
        if str(m) in seen:
            continue
        seen.add(str(m))
        try:
            check_names(m, analysis.signature)
        except TensorliftError:
            continue                   # not a program of this kernel at all
        candidates.append(m)
    assert candidates
    for m in candidates:
        if EQUIVALENT.get(entry.name, "\0") in str(m):
            continue
        proof = verifier.prove(m, timeout=20)
        assert proof.verdict != "proved", f"{entry.name}: the mutant {m} of {program} is proved"
