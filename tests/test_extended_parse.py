"""Parsing and printing the notation beyond plain TACO: reductions by sum/max/min/prod,
comparisons, `&&` `||` `!`, `where`, the element functions, affine indices, statement domains,
several statements; what each parses to, and what plain TACO cannot say."""
from __future__ import annotations

import pytest
from extended_kernels import ALL_PROGRAMS

from tensorlift.taco.ir import Access, BinOp, Call, Const, Neg, Not, Reduce, extension_used
from tensorlift.taco.parse import parse_expression, parse_program

ROUND_TRIP = [
    # reductions, with and without named variables
    "r(i) = max(j, A(i,j))", "r(i) = min(j, A(i,j))", "p = prod(i, x(i))", "s = sum(i, j, A(i,j))",
    "m = max(x(i))", "m = min(A(i,j))", "r(i) = sum(j, A(i,j)) + max(j, A(i,j))",
    "B(i,j) = A(i,j) - max(k, A(i,k))", "y = max(i, max(j, A(i,j)))",
    # comparisons and logic
    "m(i) = x(i) < y(i)", "m(i) = x(i) > y(i)", "m(i) = x(i) <= y(i)", "m(i) = x(i) >= y(i)",
    "m(i) = x(i) == y(i)", "m(i) = x(i) != y(i)", "m(i) = x(i) > lo && x(i) <= hi || !f(i)",
    "m(i) = !(x(i) > 0 || y(i) < 0) && f(i)", "m(i) = (x(i) == 1) + (y(i) != 2)",
    "y(i) = where(x(i) > 0, x(i), 0)", "y(i) = where(!(x(i) > 0), 1.5, -x(i))",
    "y(i) = where(A(i,j) * x(j) > 0, A(i,j) * x(j), 0)",
    "y(i) = where(sum(j, A(i,j) * x(j)) > 0, sum(j, A(i,j) * x(j)), 0)",
    # element functions
    "y(i) = abs(x(i)) + exp(x(i)) + log(x(i)) + sqrt(x(i))", "y(i) = pow(x(i), 2) + pow(x(i), z(i))",
    "y(i) = floor(x(i)) - ceil(x(i)) * tanh(x(i))", "y(i) = min(x(i), 0.5) + max(x(i), z(i))",
    "y(i) = min(max(x(i), lo), hi)", "y(i) = -exp(-x(i))",
    # affine indices
    "y(i) = x(i+k) * w(k)", "y(i) = x(2*i+1)", "y(i) = x(n-1-i)", "y(i) = x(2*i) + x(2*i+1)",
    "q(i) = c(h*hs+i)", "y(i,j) = A(j+1,i-1)", "y(i) = x(-i+n-1)", "y(i) = x(0) + x(i)",
    # domains
    "C(i,j) = A(i,j) for j <= i", "C(i,j) = beta * C(i,j) + A(i,k) * A(j,k) for j <= i",
    "b(i) = a(i-1) + a(i) + a(i+1) for i >= 1 && i < n-1", "y(i) += x(i) for i != 0",
    # several statements
    "y(i) = exp(x(i) - max(j, x(j))); y(i) = y(i) / sum(k, y(k))",
    "t(i) = A(i,j) * x(j); y(i) = where(t(i) > 0, t(i), 0)",
    # int division inside a where
    "out(i) = where(active(i) == 0, 255, 255 - (255 - base(i)) / active(i))",
]


@pytest.mark.parametrize("text", ROUND_TRIP)
def test_print_parses_back_to_the_same_ir(text):
    program = parse_program(text)
    printed = str(program)
    assert parse_program(printed) == program, printed
    assert str(parse_program(printed)) == printed      # printing is a fixed point


@pytest.mark.parametrize("node", [
    BinOp("<", BinOp("<", Access("a"), Access("b")), Access("c")),
    BinOp("==", BinOp("<", Access("a"), Access("b")), Access("c")),
    BinOp("!=", Access("a"), BinOp(">=", Access("b"), Access("c"))),
    BinOp("&&", BinOp("||", Access("a"), Access("b")), Not(BinOp("<", Access("c"), Const(1)))),
    BinOp("*", BinOp("<", Access("a"), Access("b")), Reduce("max", ("j",), Access("x", ("j",)))),
    Call("where", (BinOp(">", Reduce("sum", (), Access("x", ("i",))), Const(0)), Const(1.5), Neg(Access("c")))),
    Access("x", (BinOp("-", BinOp("-", Access("n"), Const(1)), Access("i")),)),
])
def test_built_ir_prints_as_text_that_parses_back(node):
    """IR made by the translation (not read from text) must print readably too."""
    assert parse_expression(str(node)) == node, str(node)


@pytest.mark.parametrize("text, node", [
    ("max(j, A(i,j))", Reduce("max", ("j",), Access("A", ("i", "j")))),
    ("max(x(i))", Reduce("max", (), Access("x", ("i",)))),
    ("max(x(i), 0)", Call("max", (Access("x", ("i",)), Const(0)))),
    ("min(a, b)", Call("min", (Access("a"), Access("b")))),
    ("sum(i, j, A(i,j))", Reduce("sum", ("i", "j"), Access("A", ("i", "j")))),
    ("prod(x(i))", Reduce("prod", (), Access("x", ("i",)))),
    ("!a || b && c", BinOp("||", Not(Access("a")), BinOp("&&", Access("b"), Access("c")))),
    ("a + 1 < b * 2", BinOp("<", BinOp("+", Access("a"), Const(1)), BinOp("*", Access("b"), Const(2)))),
    ("x(n-1-i)", Access("x", (BinOp("-", BinOp("-", Access("n"), Const(1)), Access("i")),))),
])
def test_what_the_extended_constructs_parse_to(text, node):
    assert parse_expression(text) == node


@pytest.mark.parametrize("text, construct", [
    ("r(i) = max(j, A(i,j))", "max reduction"),
    ("r = prod(i, x(i))", "prod reduction"),
    ("r = sum(i, x(i))", "sum reduction"),
    ("y(i) = x(i) > 0", "condition"),
    ("y(i) = !x(i)", "condition"),
    ("y(i) = where(x(i) > 0, x(i), 0)", "function where"),
    ("y(i) = log(x(i))", "function log"),
    ("y(i) = x(i+k) * w(k)", "index expression"),
    ("C(i,j) = A(i,j) for j <= i", "domain"),
])
def test_extension_used_names_the_construct(text, construct):
    assert construct in extension_used(parse_program(text).statements[0])


@pytest.mark.parametrize("text", ["y(i) = A(i,j) * x(j)", "y(i) = max(x(i), 0) + exp(a(i))", "s = abs(a(i) - b(i))"])
def test_plain_taco_uses_no_extension(text):
    assert extension_used(parse_program(text).statements[0]) is None


@pytest.mark.parametrize("text", ALL_PROGRAMS)
def test_every_kernel_program_round_trips(text):
    program = parse_program(text)
    assert parse_program(str(program)) == program
