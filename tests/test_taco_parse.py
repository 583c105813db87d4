import random

import pytest

from tensorlift.errors import TensorliftError
from tensorlift.taco.ir import Access, BinOp, Call, Const, Neg, Program, Statement
from tensorlift.taco.parse import MAX_DEPTH, MAX_HEIGHT, parse_expression, parse_program, parse_statement

A = Access


def test_matvec():
    p = parse_program("y(i) = A(i,j) * x(j)")
    assert p == Program((Statement(A("y", ("i",)), BinOp("*", A("A", ("i", "j")), A("x", ("j",)))),))


def test_separators_and_accumulate():
    p = parse_program("t(i) = a(i);\n\n  y(i) += t(i) ;z = 0\n")
    assert [str(s) for s in p.statements] == ["t(i) = a(i)", "y(i) += t(i)", "z = 0"]
    assert p.statements[1].accumulate


def test_precedence_and_associativity():
    assert parse_expression("a - b - c") == BinOp("-", BinOp("-", A("a"), A("b")), A("c"))
    assert parse_expression("a / b / c") == BinOp("/", BinOp("/", A("a"), A("b")), A("c"))
    assert parse_expression("a + b * c") == BinOp("+", A("a"), BinOp("*", A("b"), A("c")))
    assert parse_expression("(a + b) * c") == BinOp("*", BinOp("+", A("a"), A("b")), A("c"))
    assert parse_expression("-a * b") == BinOp("*", Neg(A("a")), A("b"))
    assert parse_expression("a * -b") == BinOp("*", A("a"), Neg(A("b")))
    assert parse_expression("--a") == Neg(Neg(A("a")))


def test_scalars_and_names():
    assert parse_expression("alpha()") == A("alpha") == parse_expression("alpha")
    assert parse_expression("a.vals(i)") == A("a.vals", ("i",))
    assert parse_expression("a.dimensions[0]") == A("a.dimensions[0]")
    assert parse_statement("from.vals(row, col2) = x(row)").lhs == A("from.vals", ("row", "col2"))


def test_constants():
    assert parse_expression("2") == Const(2) and isinstance(parse_expression("2").value, int)
    assert parse_expression("0.5") == Const(0.5)
    c = parse_expression("1e-3")
    assert c == Const(0.001) and isinstance(c.value, float)
    assert parse_expression("-2") == Neg(Const(2))


def test_calls():
    assert parse_expression("min(a, b(i))") == Call("min", (A("a"), A("b", ("i",))))
    assert parse_expression("max(0, x(i) - 1)") == Call("max", (Const(0), BinOp("-", A("x", ("i",)), Const(1))))
    assert parse_expression("exp(x(i))") == Call("exp", (A("x", ("i",)),))
    assert parse_expression("sqrt(abs(s))") == Call("sqrt", (Call("abs", (A("s"),)),))


@pytest.mark.parametrize("text", [
    "m = max(x(i))", "r(i) = max(j, A(i,j))", "s = sum(i, abs(a(i) - b(i)))", "p = prod(i, x(i))",
    "y(i) = where(x(i) > 0 && x(i) < 1, x(i), 0)", "y(i) = h(k) * x(i+k)", "c = h(i) * x(n-1-i)",
    "q(i) = x(2*i+1)", "o(i) = q(h*hs+i)", "b(i) = (a(i-1) + a(i) + a(i+1)) / 3 for 1 <= i && i < n - 1",
    "C(i,j) = beta * C(i,j) + alpha * A(i,k) * A(j,k) for j <= i", "z = !(a > b) || c", "o(i) = pow(x(i), 2)",
])
def test_extended_notation_round_trips(text):
    p = parse_program(text)
    assert str(p) == text and parse_program(str(p)) == p and not p.statements[0].plain


def test_a_tensor_may_be_called_sum():
    assert parse_program("sum(i) = input(i) * coefficient(i)").statements[0].lhs.name == "sum"
    assert parse_program("y = sum(i, j)").statements[0].rhs == Access("sum", ("i", "j"))


def test_newline_inside_brackets_continues_statement():
    assert parse_program("y(i) = (a(i)\n + b(i))") == parse_program("y(i) = a(i) + b(i)")


@pytest.mark.parametrize("text, where", [
    ("y(i) = ", "column 8"),
    ("y(i = a", "column 5"),
    ("y(i) = a b", "column 10"),
    ("y(i) = $", "column 8"),
    ("y(i) = exp(a, b)", "column 8"),
    ("y(i) = where(a, b)", "column 8"),
    ("y(i) = A(i/2)", "column 10"),
    ("y(i) = (a", "column 10"),
    ("\n\nx = 2 2", "line 3"),
    ("", "line 1"),
    ("= a", "column 1"),
    ("y(i) - a", "column 6"),
])
def test_errors_are_one_line_with_position(text, where):
    with pytest.raises(TensorliftError) as info:
        parse_program(text)
    message = str(info.value)
    assert "\n" not in message and where in message


def test_deep_nesting_is_an_error_not_a_crash():
    text = "x = " + "(" * 5000 + "a" + ")" * 5000
    with pytest.raises(TensorliftError, match="nested"):
        parse_program(text)
    with pytest.raises(TensorliftError):
        parse_program("x = " + "-" * 5000 + "a")
    ok = "x = " + "(" * (MAX_DEPTH - 2) + "a" + ")" * (MAX_DEPTH - 2)
    assert parse_program(ok).statements[0].rhs == A("a")


def test_tall_expression_is_an_error():
    ok = parse_expression(" + ".join(["a"] * MAX_HEIGHT))
    assert str(ok).count("+") == MAX_HEIGHT - 1 and hash(ok)
    with pytest.raises(TensorliftError, match="deep"):
        parse_program("x = " + " + ".join(["a"] * 5000))


def test_huge_number_is_an_error():
    with pytest.raises(TensorliftError):
        parse_program("x = " + "9" * 6000)


# ---- round trip on random programs --------------------------------------------------------

NAMES = ["A", "b", "alpha", "a.vals", "a.dimensions[0]", "from.vals", "sum", "out_2", "_t"]
VARS = ["i", "j", "k", "l", "row", "c2", "_x"]
FLOATS = [0.5, 2.0, 1e-3, 1e20, 3.25, 0.1]


def random_expr(rng: random.Random, depth: int):
    if depth <= 0 or rng.random() < 0.3:
        r = rng.random()
        if r < 0.7:
            return A(rng.choice(NAMES), tuple(rng.choice(VARS) for _ in range(rng.randint(0, 3))))
        return Const(rng.randint(0, 20) if r < 0.85 else rng.choice(FLOATS))
    r = rng.random()
    if r < 0.6:
        return BinOp(rng.choice("+-*/"), random_expr(rng, depth - 1), random_expr(rng, depth - 1))
    if r < 0.75:
        return Neg(random_expr(rng, depth - 1))
    func = rng.choice(["min", "max", "exp", "sqrt", "abs"])
    arity = 2 if func in ("min", "max") else 1
    return Call(func, tuple(random_expr(rng, depth - 1) for _ in range(arity)))


def random_program(rng: random.Random) -> Program:
    statements = []
    for _ in range(rng.randint(1, 3)):
        lhs = A(rng.choice(NAMES), tuple(rng.sample(VARS, rng.randint(0, 3))))
        statements.append(Statement(lhs, random_expr(rng, 4), rng.random() < 0.3))
    return Program(tuple(statements))


def test_round_trip_random_programs():
    rng = random.Random(1234)
    for _ in range(1000):
        p = random_program(rng)
        text = str(p)
        assert parse_program(text) == p, text
        assert parse_program(text.replace("; ", "\n")) == p


def test_parsed_then_printed_is_a_fixed_point():
    text = "y(i) = -(a(i) + 2) * -b(i) - -(c / d / e); s += max(x(i), 0.5) / (1 - y(i))"
    p = parse_program(text)
    assert parse_program(str(p)) == p
    assert str(parse_program(str(p))) == str(p)
