import random
import time

import pytest

from tensorlift.llm import answers
from tensorlift.llm.answers import MISSING, AnswerStats, parse_answer, parse_answers
from tensorlift.taco.parse import parse_program


def texts(answer):
    return [str(p) for p in parse_answer(answer)]


def same(answer, *expected):
    assert parse_answer(answer) == [parse_program(e) for e in expected], texts(answer)


@pytest.mark.parametrize("answer, expected", [
    ("y(i) = A(i, j) * x(j)", "y(i) = A(i,j) * x(j)"),
    ("a(i)*b(i)", "_ = a(i) * b(i)"),
    ("a(i) * b(i) => sum()", "_ = a(i) * b(i)"),
    ("sum(i) := input(i) * coefficient(i)", "sum(i) = input(i) * coefficient(i)"),
    ("Z(i) += X(i)*Y(i)", "Z(i) += X(i) * Y(i)"),
    ("Z(i) = Z(i) + X(i) * Y(i)", "Z(i) = Z(i) + X(i) * Y(i)"),
    ("block(i,j)=sum(k, cos1(i,k)*temp2d(k,j))", "block(i,j) = cos1(i,k) * temp2d(k,j)"),
    ("C[i][j] = A[i][k] * B[k][j]", "C(i,j) = A(i,k) * B(k,j)"),
    ("C[i,j] = A[i,k] * B[k,j];", "C(i,j) = A(i,k) * B(k,j)"),
    ("y(i) = alpha \\cdot x(i)", "y(i) = alpha * x(i)"),
    ("y(i) = alpha × x(i) · 2", "y(i) = alpha * x(i) * 2"),
    ("y(i) = a(i) − b(i)", "y(i) = a(i) - b(i)"),
    ("y(i) = a(i) * 0.5f;", "y(i) = a(i) * 0.5"),
    ("out(i) = fmaxf(a(i), 0.0f)", "out(i) = max(a(i), 0.0)"),
    ("out(i) = fabs(a(i)) + sqrtf(b(i)) + expf(c)", "out(i) = abs(a(i)) + sqrt(b(i)) + exp(c)"),
    ("y(i) = sum_j A(i,j) * x(j)", "y(i) = A(i,j) * x(j)"),
    ("y(i) = \\sum_{j} A(i,j) x(j)", "y(i) = A(i,j) * x(j)"),
    ("y(i) = Σ_j A(i,j) * x(j)", "y(i) = A(i,j) * x(j)"),
    ("dot = sum(a(i) * b(i))", "dot = a(i) * b(i)"),
    ("x(i) -= 2 * y(i)", "x(i) += -(2 * y(i))"),
    ("x(i) *= alpha", "x(i) = x(i) * alpha"),
    ("y(i) = a.vals(i) + b.dimensions[0]", "y(i) = a.vals(i) + b.dimensions[0]"),
    ("**y(i) = a(i) + b(i)**", "y(i) = a(i) + b(i)"),
    ("`y(i) = a(i) + b(i)`", "y(i) = a(i) + b(i)"),
    ("  3. y(i) = a(i) + b(i);", "y(i) = a(i) + b(i)"),
    ("- y(i) = a(i) + b(i)", "y(i) = a(i) + b(i)"),
    ("A(i,j)", "_ = A(i,j)"),
])
def test_forms(answer, expected):
    same(answer, expected)


def test_code_fence_with_prose_and_several_statements():
    answer = (
        "Here is the TACO translation of the kernel:\n\n"
        "```taco\n"
        "tmp(i) = A(i,j) * x(j);\n"
        "y(j) = A(i,j) * tmp(i);\n"
        "```\n\n"
        "The first statement computes `tmp(i) = A(i,j) * x(j)`, the second multiplies by the transpose."
    )
    same(answer, "tmp(i) = A(i,j) * x(j); y(j) = A(i,j) * tmp(i)")


def test_numbered_list_of_statements_is_one_program():
    answer = "1. tmp(i) = A(i,j) * x(j)\n2. y(j) = A(i,j) * tmp(i)\n\nThat is all."
    same(answer, "tmp(i) = A(i,j) * x(j); y(j) = A(i,j) * tmp(i)")


def test_alternatives_become_separate_programs():
    answer = "Option 1: y(i) = A(i,j) * x(j)\nOption 2: y(i) = A(j,i) * x(j)"
    same(answer, "y(i) = A(i,j) * x(j)", "y(i) = A(j,i) * x(j)")


def test_repeated_formula_counted_once():
    answer = "y(i) = A(i,j) * x(j)\nSo the final answer is y(i) = A(i,j) * x(j)."
    same(answer, "y(i) = A(i,j) * x(j)")


def test_init_then_accumulate_stays_together():
    same("Z(i) = 0\nZ(i) += X(i) * Y(i)", "Z(i) = 0; Z(i) += X(i) * Y(i)")


def test_prose_around_formula():
    same("The result is y(i) = A(i,j) * x(j), where j is summed over.", "y(i) = A(i,j) * x(j)")
    same("We compute a(i) * b(i) for every i and sum.", "_ = a(i) * b(i)")
    assert texts("Nothing to see here. The kernel is simple.") == []
    assert texts("The vector x(i) is the input.") == []


def test_c_code_in_answer_is_not_read_as_taco():
    answer = "```c\nfor (int i = 0; i < n; i++) {\n  y[i] = a[i] + b[i];\n}\n```\nIn TACO: y(i) = a(i) + b(i)"
    progs = parse_answer(answer)
    assert parse_program("y(i) = a(i) + b(i)") in progs
    assert all(s.lhs.name != "i" for p in progs for s in p.statements)


def test_escaped_newlines_in_one_line_answers():
    same("```taco\\ntmp(i) = a(i) * 2\\ny(i) = tmp(i) + 1\\n```", "tmp(i) = a(i) * 2; y(i) = tmp(i) + 1")


def test_missing_lhs_placeholder():
    (program,) = parse_answer("a(i) * b(i) => sum()")
    assert program.statements[0].lhs == MISSING and MISSING.indices == ()


def test_broken_answer_keeps_fragments():
    progs = parse_answer("y(i) = A(i,j) * x(j)\nz(i) = (((b(i) +\nw = @@@ nonsense")
    assert progs == [parse_program("y(i) = A(i,j) * x(j)")]
    assert texts("y(i) = A(i,j) * x(j) +") == ["y(i) = A(i,j) * x(j)"]


def test_parse_answers_stats():
    lines = ["y(i) = A(i,j) * x(j)", "no formula at all", "", "a(i)*b(i)", "Option 1: y = a\nOption 2: y = b"]
    stats = parse_answers(lines)
    assert isinstance(stats, AnswerStats)
    assert (stats.total, stats.parsed, stats.failed) == (4, 3, 1)
    assert [str(p) for p in stats.programs] == ["y(i) = A(i,j) * x(j)", "_ = a(i) * b(i)", "y = a", "y = b"]


# ---- never raises ----------------------------------------------------------------------------

PIECES = ["(", ")", "[", "]", "{", "}", ",", ";", "=", "+=", ":=", "=>", "+", "-", "*", "/", "`",
          "```", "\n", " ", "sum", "sum(", "max(", "exp(", "A", "b", "i", "j", "x.vals", "a.dimensions[0]",
          "2", "0.5", "1e-3", "9" * 50, "×", "·", "\\cdot", "\\n", "Σ_j", "$", "#", "for (", "**", "1.", "é", "\x00"]


def adversarial(rng: random.Random) -> str:
    kind = rng.random()
    if kind < 0.3:
        return bytes(rng.randrange(256) for _ in range(rng.randint(0, 300))).decode("utf-8", "replace")
    if kind < 0.4:
        return "".join(chr(rng.randrange(0x20, 0x3000)) for _ in range(rng.randint(0, 200)))
    return "".join(rng.choice(PIECES) for _ in range(rng.randint(0, 120)))


@pytest.fixture
def no_internal_errors(monkeypatch):
    """parse_answer swallows exceptions; fail the test if any internal step raised one."""
    errors = []

    def spy(f):
        def wrapped(*args):
            try:
                return f(*args)
            except Exception as err:
                errors.append(err)
                raise
        return wrapped

    for name in ("_line_statements", "_group", "_blocks"):
        monkeypatch.setattr(answers, name, spy(getattr(answers, name)))
    yield
    assert errors == []


def test_fuzz_never_raises(no_internal_errors):
    rng = random.Random(99)
    for _ in range(2000):
        text = adversarial(rng)
        result = parse_answer(text)
        assert isinstance(result, list)
        for p in result:
            str(p)


@pytest.mark.parametrize("text", [
    "(" * 5000 + "a(i)" + ")" * 5000,
    "y(i) = " + "(" * 5000 + "a(i)" + ")" * 5000,
    "y(i) = " + "-" * 5000 + "a(i)",
    "y(i) = " + "sum(k, " * 3000 + "a(i)" + ")" * 3000,
    "A" + "[i]" * 5000 + " = 1",
    "y(i) = " + " + ".join(["a(i)"] * 20000),
    "(" * 100_000,
    "y(i) = " + "(a(i) + " * 20000,
    "x = " + "9" * 100_000,
    " + ".join(["a"] * 30000),
    " + ".join(["a(i"] * 30000),
    "x(i) " * 30000,
    "y(i) = a(i) " + "b(( " * 30000,
    "= " * 50000,
    "a(i) = " * 20000,
])
def test_pathological_inputs(text, no_internal_errors):
    start = time.perf_counter()
    assert isinstance(parse_answer(text), list)
    assert time.perf_counter() - start < 10


def test_long_answer_with_formula_at_the_end():
    text = "word " * 20_000 + "\ny(i) = A(i,j) * x(j)"
    assert len(text) > 100_000
    start = time.perf_counter()
    assert texts(text) == ["y(i) = A(i,j) * x(j)"]
    assert time.perf_counter() - start < 10


def test_non_string_is_empty():
    assert parse_answer(None) == []  # type: ignore[arg-type]


def test_answer_program_evaluates_with_missing_lhs():
    import numpy as np
    from tensorlift.taco.evaluate import evaluate
    (program,) = parse_answer("a(i) * b(i) => sum()")
    out = evaluate(program, {"a": np.array([1, 2]), "b": np.array([3, 4])}, {"a": "int", "b": "int"})
    assert out == {"_": 11}


@pytest.mark.parametrize("text,expected", [
    ("m = max(i, x(i))", "m = max(i, x(i))"),
    ("m = max(x(i))", "m = max(x(i))"),
    ("y(i) = max(x(i), 0)", "y(i) = max(x(i), 0)"),                       # an element function
    ("y(i) = select(x(i) > 0 && x(i) < t, x(i), 0)", "y(i) = where(x(i) > 0 && x(i) < t, x(i), 0)"),
    ("`C(i,j) = A(i,j) for j <= i`", "C(i,j) = A(i,j) for j <= i"),       # a domain
    ("y(i) = x(i) for each i", "y(i) = x(i)"),                             # prose, not a domain
    ("y(i) = x(i+k) * w(k)", "y(i) = x(i+k) * w(k)"),
])
def test_extended_notation_in_answers(text, expected):
    assert [str(p) for p in parse_answer(text)] == [expected]
