"""The notation beyond plain TACO, construct by construct and in combination, through every
stage: the parser and printer, the evaluator (against naive loops written here), the verifier
(against small C kernels: the right program proved, near misses refuted, what it cannot cover
`unknown`), the array back ends (run and compared with the evaluator and the C) and the CLI.

Constructs: reductions by sum/max/min/prod (with and without named variables), comparisons,
`&&` `||` `!`, `where`, the element functions, affine indices, statement domains, several
statements; combinations: a max inside an expression, a where over a reduction, a window
x(i+k)*w(k), a domain with an affine index, softmax in two statements, C's integer division
inside a where, uint8 outputs.
"""
from __future__ import annotations

import ast
import functools
import itertools
import json
import math
import re
import warnings
from dataclasses import dataclass

import numpy as np
import pytest
from helpers import cli, cli_json, need

from tensorlift import api, carith
from tensorlift.backends import check_emitted, emit, emit_checked, function_name, run_emitted
from tensorlift.errors import TensorliftError, UnsupportedConstruct
from tensorlift.signature import Example, Param, Signature
from tensorlift.synth.check import dtypes_of, example_env
from tensorlift.taco.evaluate import EvalError, evaluate
from tensorlift.taco.ir import Access, BinOp, Call, Const, Neg, Not, Reduce, extension_used
from tensorlift.taco.parse import parse_expression, parse_program

# ====================================================================== 1. parse and print

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


# ====================================================================== 2. the evaluator


def c_div(a: int, b: int) -> int:
    q = abs(a) // abs(b)
    return -q if (a < 0) != (b < 0) else q


def data(rng, shape, dtype, lo=-5, hi=5):
    """Small values with zeros and negatives; halves for floats so that rounding shows."""
    v = rng.integers(lo, hi + 1, size=shape)
    return v.astype(np.int64) if dtype == "int" else (v / 2).astype(np.float64)


def grid(*extents):
    return itertools.product(*(range(n) for n in extents))


def close(got, want, dtype):
    got, want = np.asarray(got), np.asarray(want, dtype=np.float64 if dtype != "int" else np.int64)
    assert got.shape == want.shape
    if dtype == "int":
        assert got.dtype.kind == "i" and np.array_equal(got, want), (got, want)
    else:
        assert np.allclose(got, want, rtol=1e-12, atol=1e-12, equal_nan=True), (got, want)


SHAPES = [(1, 1), (3, 4), (5, 2)]
DTYPES = ["int", "double"]


def run(text, env, dtypes):
    return evaluate(parse_program(text), env, dtypes)


@pytest.mark.parametrize("m, n", SHAPES)
@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("op, naive", [
    ("sum", sum), ("max", max), ("min", min), ("prod", math.prod)])
def test_reductions_over_named_variables(m, n, dtype, op, naive):
    rng = np.random.default_rng(m * 10 + n)
    A = data(rng, (m, n), dtype)
    env, dt = {"A": A}, {"A": dtype, "r": dtype, "c": dtype, "s": dtype}
    close(run(f"r(i) = {op}(j, A(i,j))", env, dt)["r"], [naive(A[i, j] for j in range(n)) for i in range(m)], dtype)
    close(run(f"c(j) = {op}(i, A(i,j))", env, dt)["c"], [naive(A[i, j] for i in range(m)) for j in range(n)], dtype)
    close(run(f"s = {op}(i, j, A(i,j))", env, dt)["s"], naive(A[i, j] for i, j in grid(m, n)), dtype)
    # without variables: every variable the left side lacks
    close(run(f"r(i) = {op}(A(i,j))", env, dt)["r"], [naive(A[i, j] for j in range(n)) for i in range(m)], dtype)
    close(run(f"s = {op}(A(i,j))", env, dt)["s"], naive(A[i, j] for i, j in grid(m, n)), dtype)


@pytest.mark.parametrize("m, n", SHAPES)
@pytest.mark.parametrize("dtype", DTYPES)
def test_max_reduction_inside_an_expression(m, n, dtype):
    rng = np.random.default_rng(7 + m + n)
    A, x = data(rng, (m, n), dtype), data(rng, (n,), dtype)
    dt = {"A": dtype, "x": dtype, "B": dtype, "y": dtype}
    out = run("B(i,j) = A(i,j) - max(k, A(i,k))", {"A": A}, dt)["B"]
    close(out, [[A[i, j] - max(A[i, k] for k in range(n)) for j in range(n)] for i in range(m)], dtype)
    # a reduction nested in a sum of products: j summed at the product, k maxed inside
    out = run("y(i) = A(i,j) * x(j) + 2 * min(k, A(i,k))", {"A": A, "x": x}, dt)["y"]
    close(out, [sum(A[i, j] * x[j] for j in range(n)) + 2 * min(A[i, k] for k in range(n)) for i in range(m)], dtype)
    out = run("y = max(i, sum(j, A(i,j)))", {"A": A}, dt)["y"]
    close(out, max(sum(A[i, j] for j in range(n)) for i in range(m)), dtype)


@pytest.mark.parametrize("n", [1, 4, 7])
@pytest.mark.parametrize("dtype", DTYPES)
def test_comparisons_and_logic_are_zero_or_one(n, dtype):
    rng = np.random.default_rng(n)
    x, y, f = data(rng, (n,), dtype, -2, 2), data(rng, (n,), dtype, -2, 2), data(rng, (n,), "int", 0, 1)
    env = {"x": x, "y": y, "f": f, "lo": -1, "hi": 1}
    dt = {"x": dtype, "y": dtype, "f": "int", "lo": "int", "hi": "int", "m": "int"}
    ops = {"<": lambda a, b: a < b, ">": lambda a, b: a > b, "<=": lambda a, b: a <= b,
           ">=": lambda a, b: a >= b, "==": lambda a, b: a == b, "!=": lambda a, b: a != b}
    for op, fn in ops.items():
        close(run(f"m(i) = x(i) {op} y(i)", env, dt)["m"], [int(fn(x[i], y[i])) for i in range(n)], "int")
    want = [int((x[i] > -1 and x[i] <= 1) or not f[i]) for i in range(n)]
    close(run("m(i) = x(i) > lo && x(i) <= hi || !f(i)", env, dt)["m"], want, "int")
    want = [int(not (x[i] > 0 or y[i] < 0) and f[i] != 0) for i in range(n)]
    close(run("m(i) = !(x(i) > 0 || y(i) < 0) && f(i)", env, dt)["m"], want, "int")
    want = [int(x[i] == 1) + int(y[i] != 2) for i in range(n)]
    close(run("m(i) = (x(i) == 1) + (y(i) != 2)", env, dt)["m"], want, "int")
    # a condition as a number in float arithmetic
    dt["z"] = "double"
    close(run("z(i) = 0.5 * (x(i) < y(i)) + x(i)", env, dt)["z"], [0.5 * (x[i] < y[i]) + x[i] for i in range(n)],
          "double")


@pytest.mark.parametrize("n", [1, 4, 7])
@pytest.mark.parametrize("dtype", DTYPES)
def test_where(n, dtype):
    rng = np.random.default_rng(30 + n)
    x, y = data(rng, (n,), dtype), data(rng, (n,), dtype)
    env, dt = {"x": x, "y": y}, {"x": dtype, "y": dtype, "r": dtype, "f": "double"}
    close(run("r(i) = where(x(i) > 0, x(i), 0)", env, dt)["r"], [x[i] if x[i] > 0 else 0 for i in range(n)], dtype)
    close(run("r(i) = where(x(i) > y(i) && x(i) != 0, x(i) - y(i), y(i) - x(i))", env, dt)["r"],
          [x[i] - y[i] if x[i] > y[i] and x[i] != 0 else y[i] - x[i] for i in range(n)], dtype)
    # branches of different kinds: the value is a float, the condition any number
    close(run("f(i) = where(x(i), 0.5, y(i))", env, dt)["f"], [0.5 if x[i] != 0 else y[i] for i in range(n)], "double")
    # a where over a scalar and a vector broadcasts
    env["t"] = x[0]
    dt["t"] = dtype
    close(run("r(i) = where(t > 0, y(i), t)", env, dt)["r"], [y[i] if x[0] > 0 else x[0] for i in range(n)], dtype)


@pytest.mark.parametrize("m, n", SHAPES)
def test_float_values_stored_into_int_outputs_truncate_toward_zero(m, n):
    rng = np.random.default_rng(m * n)
    A = data(rng, (m, n), "double")
    env, dt = {"A": A}, {"A": "double", "q": "int", "r": "int"}
    close(run("q(i) = max(j, A(i,j)) * 1.5", env, dt)["q"], [int(max(A[i]) * 1.5) for i in range(m)], "int")
    close(run("r(i) = where(A(i,0) < 0, A(i,0) * 3, -A(i,0) / 4)", env, dt)["r"],
          [int(A[i, 0] * 3 if A[i, 0] < 0 else -A[i, 0] / 4) for i in range(m)], "int")


@pytest.mark.parametrize("n", [1, 3, 6])
def test_int_division_inside_where_truncates_like_c(n):
    rng = np.random.default_rng(n)
    a, b = rng.integers(-300, 300, size=n), rng.integers(-3, 4, size=n)
    b[0] = 0
    env, dt = {"base": a, "active": b}, {"base": "int", "active": "int", "out": "int"}
    out = run("out(i) = where(active(i) == 0, 255, 255 - (255 - base(i)) / active(i))", env, dt)["out"]
    close(out, [255 if b[i] == 0 else 255 - c_div(255 - a[i], b[i]) for i in range(n)], "int")
    out = run("out(i) = where(active(i) != 0, base(i) / active(i), -1)", env, dt)["out"]
    close(out, [c_div(a[i], b[i]) if b[i] != 0 else -1 for i in range(n)], "int")


@pytest.mark.parametrize("n", [1, 5])
def test_element_functions(n):
    rng = np.random.default_rng(n)
    x, y = rng.uniform(0.25, 3.0, size=n), rng.uniform(-2.0, 2.0, size=n)
    env, dt = {"x": x, "y": y, "k": np.arange(n) - 2}, {"x": "double", "y": "double", "r": "double", "k": "int",
                                                       "q": "int"}
    cases = {
        "abs(y(i))": lambda i: abs(y[i]), "exp(y(i))": lambda i: math.exp(y[i]),
        "log(x(i))": lambda i: math.log(x[i]), "sqrt(x(i))": lambda i: math.sqrt(x[i]),
        "pow(x(i), y(i))": lambda i: x[i] ** y[i], "pow(y(i), 2)": lambda i: y[i] ** 2,
        "floor(y(i))": lambda i: math.floor(y[i]), "ceil(y(i))": lambda i: math.ceil(y[i]),
        "tanh(y(i))": lambda i: math.tanh(y[i]), "min(x(i), y(i))": lambda i: min(x[i], y[i]),
        "max(y(i), 0.5)": lambda i: max(y[i], 0.5),
        "sqrt(abs(y(i))) + exp(y(i)) * tanh(x(i))": lambda i: math.sqrt(abs(y[i])) + math.exp(y[i]) * math.tanh(x[i]),
    }
    for text, fn in cases.items():
        close(run(f"r(i) = {text}", env, dt)["r"], [fn(i) for i in range(n)], "double")
    # on integers: abs, min and max stay integers; floor of an int is a float (stored back as int)
    close(run("q(i) = abs(k(i)) + max(k(i), 0) * min(k(i), 1)", env, dt)["q"],
          [abs(k) + max(k, 0) * min(k, 1) for k in env["k"]], "int")
    close(run("q(i) = sqrt(abs(k(i)))", env, dt)["q"], [int(math.sqrt(abs(k))) for k in env["k"]], "int")


@pytest.mark.parametrize("n, taps", [(1, 1), (4, 3), (6, 2)])
@pytest.mark.parametrize("dtype", DTYPES)
def test_affine_indices(n, taps, dtype):
    rng = np.random.default_rng(n * taps)
    x, w = data(rng, (n + taps - 1,), dtype), data(rng, (taps,), dtype)
    x2 = data(rng, (2 * n + 1,), dtype)
    dt = {"x": dtype, "w": dtype, "y": dtype}
    out = run("y(i) = x(i+k) * w(k)", {"x": x, "w": w, "y": np.zeros(n)}, dt)["y"]
    close(out, [sum(x[i + k] * w[k] for k in range(taps)) for i in range(n)], dtype)
    out = run("y(i) = x(2*i) - x(2*i+1)", {"x": x2, "y": np.zeros(n)}, dt)["y"]
    close(out, [x2[2 * i] - x2[2 * i + 1] for i in range(n)], dtype)
    xs = x[:n]
    out = run("y(i) = x(n-1-i)", {"x": xs, "n": n, "y": np.zeros(n)}, dt)["y"]
    close(out, [xs[n - 1 - i] for i in range(n)], dtype)
    # a window summed, then maxed: max pooling of a correlation (the output sets i's extent)
    dt["p"] = dtype
    out = run("p(i) = x(i+k) * w(k); m = max(i, p(i))", {"x": x, "w": w, "p": np.zeros(n)},
              {**dt, "m": dtype})["m"]
    close(out, max(sum(x[i + k] * w[k] for k in range(taps)) for i in range(n)), dtype)


@pytest.mark.parametrize("n", [1, 2, 3, 5])
@pytest.mark.parametrize("dtype", DTYPES)
def test_domains(n, dtype):
    rng = np.random.default_rng(n)
    A, C = data(rng, (n, n), dtype), data(rng, (n, n), dtype)
    dt = {"A": dtype, "C": dtype, "a": dtype, "b": dtype, "beta": dtype, "n": "int"}
    out = run("C(i,j) = A(i,j) for j <= i", {"A": A, "C": C}, dt)["C"]
    close(out, [[A[i, j] if j <= i else C[i, j] for j in range(n)] for i in range(n)], dtype)
    out = run("C(i,j) = beta * C(i,j) + A(i,k) * A(j,k) for j <= i", {"A": A, "C": C, "beta": 2}, dt)["C"]
    close(out, [[2 * C[i, j] + sum(A[i, k] * A[j, k] for k in range(n)) if j <= i else C[i, j]
                 for j in range(n)] for i in range(n)], dtype)
    out = run("C(i,j) += A(j,i) for i != j", {"A": A, "C": C}, dt)["C"]
    close(out, [[C[i, j] + A[j, i] if i != j else C[i, j] for j in range(n)] for i in range(n)], dtype)


@pytest.mark.parametrize("n", [1, 2, 4])
@pytest.mark.parametrize("dtype", DTYPES)
def test_left_side_indices_as_numbers(n, dtype):
    rng = np.random.default_rng(n)
    A, x = data(rng, (n, n), dtype), data(rng, (n,), dtype)
    dt = {"A": dtype, "x": dtype, "B": dtype, "y": dtype}
    out = run("B(i,j) = where(j <= i, A(i,j), 0)", {"A": A, "B": np.zeros((n, n))}, dt)["B"]
    close(out, [[A[i, j] if j <= i else 0 for j in range(n)] for i in range(n)], dtype)
    out = run("y(i) = i * x(i) + (i == n - 1)", {"x": x, "n": n, "y": np.zeros(n)}, {**dt, "n": "int"})["y"]
    close(out, [i * x[i] + (i == n - 1) for i in range(n)], dtype)


@pytest.mark.parametrize("n", [1, 2, 3, 6])
@pytest.mark.parametrize("dtype", DTYPES)
def test_domain_on_data(n, dtype):
    rng = np.random.default_rng(n)
    x, y = data(rng, (n,), dtype), data(rng, (n,), dtype)
    out = run("y(i) = 2 * x(i) for x(i) > y(i) || x(0) == 0", {"x": x, "y": y}, {"x": dtype, "y": dtype})["y"]
    close(out, [2 * x[i] if x[i] > y[i] or x[0] == 0 else y[i] for i in range(n)], dtype)


@pytest.mark.parametrize("n", [1, 2, 3, 6])
@pytest.mark.parametrize("dtype", DTYPES)
def test_domain_with_an_affine_index(n, dtype):
    """Outside the domain the index would leave the array: those elements are never read."""
    rng = np.random.default_rng(n)
    a, b = data(rng, (n,), dtype), data(rng, (n,), dtype)
    dt = {"a": dtype, "b": dtype, "n": "int"}
    out = run("b(i) = a(i-1) + a(i) + a(i+1) for i >= 1 && i < n-1", {"a": a, "b": b, "n": n}, dt)["b"]
    close(out, [a[i - 1] + a[i] + a[i + 1] if 1 <= i < n - 1 else b[i] for i in range(n)], dtype)
    out = run("b(i) = a(n-1-i) for i < n / 2", {"a": a, "b": b, "n": n}, dt)["b"]
    close(out, [a[n - 1 - i] if i < n // 2 else b[i] for i in range(n)], dtype)


@pytest.mark.parametrize("n", [1, 4, 9])
def test_softmax_in_two_statements(n):
    rng = np.random.default_rng(n)
    x = rng.uniform(-3, 3, size=n)
    dt = {"x": "float", "y": "float"}
    mx = max(x)
    e = [math.exp(v - mx) for v in x]
    want = [v / sum(e) for v in e]
    out = run("y(i) = exp(x(i) - max(j, x(j))); y(i) = y(i) / sum(k, y(k))", {"x": x}, dt)["y"]
    close(out, want, "double")
    out = run("x(i) = exp(x(i) - max(x(j))); x(i) = x(i) / x(k)", {"x": x}, dt)["x"]
    close(out, want, "double")
    # a temporary: a tensor that is neither parameter nor output
    out = run("t(i) = exp(x(i) - max(x(j))); y(i) = t(i) / t(k)", {"x": x}, {**dt, "t": "double"})["y"]
    close(out, want, "double")


@pytest.mark.parametrize("m, n", SHAPES)
def test_where_over_a_reduction(m, n):
    rng = np.random.default_rng(m + 3 * n)
    A, x = data(rng, (m, n), "int"), data(rng, (n,), "int")
    env, dt = {"A": A, "x": x}, {"A": "int", "x": "int", "y": "int"}
    rows = [sum(A[i, j] * x[j] for j in range(n)) for i in range(m)]
    close(run("y(i) = where(sum(j, A(i,j) * x(j)) > 0, sum(j, A(i,j) * x(j)), 0)", env, dt)["y"],
          [max(r, 0) for r in rows], "int")
    close(run("y(i) = max(A(i,j) * x(j), 0)", env, dt)["y"], [max(r, 0) for r in rows], "int")
    # TACO's rule: j used in the condition and in a branch is summed around the where
    close(run("y(i) = where(A(i,j) * x(j) > 0, A(i,j) * x(j), 0)", env, dt)["y"],
          [sum(max(A[i, j] * x[j], 0) for j in range(n)) for i in range(m)], "int")
    close(run("y(i) = where(max(j, A(i,j)) > 0, max(j, A(i,j)), min(j, A(i,j)))", env, dt)["y"],
          [max(A[i]) if max(A[i]) > 0 else min(A[i]) for i in range(m)], "int")


@pytest.mark.parametrize("n", [1, 5])
def test_uint8_outputs_wrap_and_promote(n):
    rng = np.random.default_rng(n)
    a, b = rng.integers(0, 256, size=n), rng.integers(0, 256, size=n)
    a[0], b[0] = 255, 200
    env, dt = {"a": a, "b": b}, {"a": "uint8", "b": "uint8", "out": "uint8", "w": "int"}
    close(run("out(i) = a(i) + b(i)", env, dt)["out"], [(a[i] + b[i]) % 256 for i in range(n)], "int")
    close(run("w(i) = a(i) + b(i)", env, dt)["w"], [a[i] + b[i] for i in range(n)], "int")   # promoted to int
    close(run("out(i) = a(i) * b(i) / 255", env, dt)["out"], [a[i] * b[i] // 255 for i in range(n)], "int")
    close(run("out(i) = where(a(i) > b(i), a(i) - b(i), b(i) - a(i))", env, dt)["out"],
          [abs(int(a[i]) - int(b[i])) for i in range(n)], "int")
    close(run("out(i) = a(i) - b(i)", env, dt)["out"], [(a[i] - b[i]) % 256 for i in range(n)], "int")
    close(run("out(i) = 255 - (255 - a(i)) * (255 - b(i)) / 255", env, dt)["out"],
          [255 - (255 - a[i]) * (255 - b[i]) // 255 for i in range(n)], "int")


def test_max_over_nothing_is_an_error_not_a_value():
    with pytest.raises(EvalError):
        run("m = max(x(i))", {"x": np.zeros(0)}, {"x": "double", "m": "double"})


# ====================================================================== C kernels


@dataclass(frozen=True)
class Kernel:
    c: str                          # the C source, one function
    program: str                    # the right program
    wrong: tuple = ()               # near misses: refuted
    also: tuple = ()                # other spellings: proved too
    construct: str = ""             # what taco and tensora name when they refuse


KERNELS = {
    "rowmax": Kernel("""
        void rowmax(int m, int n, const float *A, float *r) {
            for (int i = 0; i < m; i++) {
                float best = A[i*n];
                for (int j = 1; j < n; j++)
                    if (A[i*n + j] > best) best = A[i*n + j];
                r[i] = best;
            }
        }""", "r(i) = max(j, A(i,j))", wrong=("r(i) = min(j, A(i,j))", "r(i) = A(i,j)"),
        also=("r(i) = max(A(i,j))",), construct="max reduction"),
    "vmin": Kernel("""
        int vmin(int n, const int *x) {
            int m = x[0];
            for (int i = 1; i < n; i++) m = x[i] < m ? x[i] : m;
            return m;
        }""", "vmin = min(i, x(i))", wrong=("vmin = max(i, x(i))", "vmin = x(0)"), also=("vmin = min(x(i))",),
        construct="min reduction"),
    "vmax": Kernel("""
        #include <float.h>
        #include <math.h>
        float vmax(int n, const float *x) {
            float m = -FLT_MAX;                       /* below every finite float */
            for (int i = 0; i < n; i++) m = fmaxf(m, x[i]);
            return m;
        }""", "vmax = max(i, x(i))", wrong=("vmax = max(i, x(i) + 0.5)", "vmax = max(i, -x(i))"),
        construct="max reduction"),
    "vprod": Kernel("""
        double vprod(int n, const double *x) {
            double p = 1.0;
            for (int i = 0; i < n; i++) p *= x[i];
            return p;
        }""", "vprod = prod(i, x(i))", wrong=("vprod = sum(i, x(i))",), construct="prod reduction"),
    "relu": Kernel("""
        void relu(int n, const int *x, int *y) {
            for (int i = 0; i < n; i++) y[i] = x[i] > 0 ? x[i] : 0;
        }""", "y(i) = where(x(i) > 0, x(i), 0)", wrong=("y(i) = where(x(i) < 0, x(i), 0)",
                                                       "y(i) = where(x(i) > 1, x(i), 0)"),
        also=("y(i) = where(x(i) >= 0, x(i), 0)", "y(i) = max(x(i), 0)"), construct="function where"),
    "band": Kernel("""
        void band(int n, const int *x, const int *f, int lo, int hi, int *m, int *e) {
            for (int i = 0; i < n; i++) {
                m[i] = x[i] > lo ? (x[i] <= hi ? 1 : !f[i]) : !f[i];
                e[i] = (x[i] == lo) + (x[i] != hi);
            }
        }""", "m(i) = x(i) > lo && x(i) <= hi || !f(i); e(i) = (x(i) == lo) + (x(i) != hi)",
        wrong=("m(i) = x(i) >= lo && x(i) <= hi || !f(i); e(i) = (x(i) == lo) + (x(i) != hi)",
               "m(i) = x(i) > lo && x(i) <= hi && !f(i); e(i) = (x(i) == lo) + (x(i) != hi)",
               "m(i) = x(i) > lo && x(i) <= hi || !f(i); e(i) = (x(i) == lo) + (x(i) == hi)"),
        construct="condition"),
    "funcs": Kernel("""
        #include <math.h>
        void funcs(int n, const double *x, const double *y, double *a, double *b, double *c) {
            for (int i = 0; i < n; i++) {
                a[i] = sqrt(fabs(x[i])) + exp(y[i]) * tanh(x[i]);
                b[i] = log(1.0 + x[i] * x[i]) - pow(y[i], 2.0) + fmax(x[i], y[i]);
                c[i] = floor(x[i]) + ceil(y[i]) + fmin(x[i], 0.5) + pow(fabs(x[i]) + 1.0, y[i]);
            }
        }""", "a(i) = sqrt(abs(x(i))) + exp(y(i)) * tanh(x(i)); "
              "b(i) = log(1.0 + x(i) * x(i)) - pow(y(i), 2) + max(x(i), y(i)); "
              "c(i) = floor(x(i)) + ceil(y(i)) + min(x(i), 0.5) + pow(abs(x(i)) + 1, y(i))",
        wrong=("a(i) = sqrt(abs(x(i))) + exp(x(i)) * tanh(x(i)); "
               "b(i) = log(1.0 + x(i) * x(i)) - pow(y(i), 2) + max(x(i), y(i)); "
               "c(i) = floor(x(i)) + ceil(y(i)) + min(x(i), 0.5) + pow(abs(x(i)) + 1, y(i))",
               "a(i) = sqrt(abs(x(i))) + exp(y(i)) * tanh(x(i)); "
               "b(i) = log(1.0 + x(i) * x(i)) - pow(y(i), 2) + max(x(i), y(i)); "
               "c(i) = ceil(x(i)) + ceil(y(i)) + min(x(i), 0.5) + pow(abs(x(i)) + 1, y(i))",
               "a(i) = sqrt(abs(x(i))) + exp(y(i)) * tanh(x(i)); "
               "b(i) = log(1.0 + x(i) * x(i)) - pow(y(i), 2) + min(x(i), y(i)); "
               "c(i) = floor(x(i)) + ceil(y(i)) + min(x(i), 0.5) + pow(abs(x(i)) + 1, y(i))"),
        construct="function"),
    "fir_block": Kernel("""
        void fir_block(int n, int ntaps, const float *x, const float *h, float *y) {
            for (int i = 0; i < n; i++) {
                float acc = 0.0f;
                for (int k = 0; k < ntaps; k++) acc += h[k] * x[i + k];
                y[i] = acc;
            }
        }""", "y(i) = x(i+k) * h(k)", wrong=("y(i) = x(i+k+1) * h(k)", "y(i) = x(i-k+ntaps-1) * h(k)"),
        also=("y(i) = sum(k, h(k) * x(k+i))",), construct="index expression"),
    "downsample": Kernel("""
        void downsample(int n, const int *x, int *y) {
            for (int i = 0; i < n; i++) y[i] = x[2*i] - x[2*i + 2];
        }""", "y(i) = x(2*i) - x(2*i+2)", wrong=("y(i) = x(2*i+2) - x(2*i)", "y(i) = x(i) - x(i+1)"),
        construct="index expression"),
    "reverse": Kernel("""
        void reverse(int n, const int *x, int *y) {
            for (int i = 0; i < n; i++) y[i] = x[n - 1 - i];
        }""", "y(i) = x(n-1-i)", wrong=("y(i) = x(n-i)", "y(i) = x(i)"), construct="index expression"),
    "lower": Kernel("""
        void lower(int n, const double *A, double *C) {
            for (int i = 0; i < n; i++)
                for (int j = 0; j <= i; j++) C[i*n + j] = A[i*n + j];
        }""", "C(i,j) = A(i,j) for j <= i", wrong=("C(i,j) = A(i,j) for j < i", "C(i,j) = A(i,j) for i <= j"),
        construct="domain"),
    "syrk": Kernel("""
        void syrk(int n, int m, double beta, const double *A, double *C) {
            for (int i = 0; i < n; i++)
                for (int j = 0; j <= i; j++) {
                    C[i*n + j] *= beta;
                    for (int k = 0; k < m; k++) C[i*n + j] += A[i*m + k] * A[j*m + k];
                }
        }""", "C(i,j) = beta * C(i,j) + A(i,k) * A(j,k) for j <= i",
        wrong=("C(i,j) = beta * C(i,j) + A(i,k) * A(k,j) for j <= i", "C(i,j) = beta * C(i,j) + A(i,k) * A(j,k)"),
        construct="domain"),
    "tril": Kernel("""
        void tril(int n, const double *A, double *B) {
            for (int i = 0; i < n; i++)
                for (int j = 0; j < n; j++) B[i*n + j] = j <= i ? A[i*n + j] : 0.0;
        }""", "B(i,j) = where(j <= i, A(i,j), 0)",
        wrong=("B(i,j) = where(j < i, A(i,j), 0)", "B(i,j) = where(i <= j, A(i,j), 0)"),
        also=("B(i,j) = 0; B(i,j) = A(i,j) for j <= i", "B(i,j) = A(i,j) * (j <= i)"), construct="function where"),
    "flip": Kernel("""
        void flip(int n, const int *x, int *y) {
            for (int i = 0; i < n; i++) { int t = x[i] + 1; y[i] = x[0] > 0 ? t : -t; }
        }""", "y(i) = -x(i) - 1; y(i) = x(i) + 1 for x(0) > 0",     # a domain on data
        wrong=("y(i) = -x(i) - 1; y(i) = x(i) + 1 for x(0) >= 0", "y(i) = -x(i) - 1; y(i) = x(i) + 1 for x(i) > 0"),
        also=("y(i) = where(x(0) > 0, x(i) + 1, -x(i) - 1)",), construct="domain"),
    "smooth": Kernel("""
        void smooth(int n, const int *a, int *b) {
            for (int i = 1; i < n - 1; i++) b[i] = a[i-1] + a[i] + a[i+1];
        }""", "b(i) = a(i-1) + a(i) + a(i+1) for i >= 1 && i < n-1",
        wrong=("b(i) = a(i-1) + a(i) + a(i+1) for i >= 0 && i < n-1",      # reads a(-1)
               "b(i) = a(i-1) + a(i) + a(i+1) for i >= 2 && i < n-1",      # leaves b(1) as it was
               "b(i) = a(i-1) + a(i) + a(i) for i >= 1 && i < n-1"),
        construct="domain"),
    "center": Kernel("""
        void center(int m, int n, const float *A, float *B) {
            for (int i = 0; i < m; i++) {
                float mx = A[i*n];
                for (int j = 1; j < n; j++) if (A[i*n + j] > mx) mx = A[i*n + j];
                for (int j = 0; j < n; j++) B[i*n + j] = A[i*n + j] - mx;
            }
        }""", "B(i,j) = A(i,j) - max(k, A(i,k))", wrong=("B(i,j) = A(i,j) - min(k, A(i,k))",
                                                         "B(i,j) = A(i,j) - max(k, A(i,k)) + 1"),
        construct="max reduction"),
    "relu_gemv": Kernel("""
        void relu_gemv(int m, int n, const int *A, const int *x, int *y) {
            for (int i = 0; i < m; i++) {
                int s = 0;
                for (int j = 0; j < n; j++) s += A[i*n + j] * x[j];
                y[i] = s > 0 ? s : 0;
            }
        }""", "y(i) = where(sum(j, A(i,j) * x(j)) > 0, sum(j, A(i,j) * x(j)), 0)",
        wrong=("y(i) = where(A(i,j) * x(j) > 0, A(i,j) * x(j), 0)",
               "y(i) = where(sum(j, A(i,j) * x(j)) >= 0, sum(j, A(i,j) * x(j)), 1)"),
        also=("y(i) = max(A(i,j) * x(j), 0)",), construct="function where"),
    "softmax2": Kernel("""
        #include <math.h>
        void softmax2(int n, const float *x, float *y) {
            float mx = x[0];
            for (int i = 1; i < n; i++) if (x[i] > mx) mx = x[i];
            float s = 0.0f;
            for (int i = 0; i < n; i++) { y[i] = expf(x[i] - mx); s += y[i]; }
            for (int i = 0; i < n; i++) y[i] /= s;
        }""", "y(i) = exp(x(i) - max(j, x(j))); y(i) = y(i) / sum(k, y(k))",
        wrong=("y(i) = exp(x(i) - max(j, x(j))); y(i) = y(i) / max(k, y(k))",
               "y(i) = exp(x(i) - min(j, x(j))); y(i) = y(i) / sum(k, y(k))",
               "y(i) = exp(x(i) - max(j, x(j)))"),
        also=("y(i) = exp(x(i) - max(x(j))); y(i) = y(i) / y(k)",), construct="max reduction"),
    "softmax_inplace": Kernel("""
        #include <math.h>
        void softmax_inplace(float *x, int size) {
            float max_val = x[0];
            for (int i = 1; i < size; i++) if (x[i] > max_val) max_val = x[i];
            float sum = 0.0f;
            for (int i = 0; i < size; i++) { x[i] = expf(x[i] - max_val); sum += x[i]; }
            for (int i = 0; i < size; i++) x[i] /= sum;
        }""", "x(i) = exp(x(i) - max(j, x(j))); x(i) = x(i) / sum(k, x(k))",
        wrong=("x(i) = exp(x(i) - max(j, x(j))); x(i) = x(i) / max(k, x(k))",
               "x(i) = exp(x(i) - max(j, x(j))); x(i) = x(i) / sum(k, exp(x(k)))"),
        also=("x(i) = exp(x(i) - max(x(j))); x(i) = x(i) / x(k)",), construct="max reduction"),
    "burn": Kernel("""
        void burn(int n, const int *base, const int *active, int *out) {
            for (int i = 0; i < n; i++) {
                if (active[i] == 0) out[i] = 255;
                else out[i] = 255 - (255 - base[i]) / active[i];
            }
        }""", "out(i) = where(active(i) == 0, 255, 255 - (255 - base(i)) / active(i))",
        wrong=("out(i) = where(active(i) == 0, 255, (255 - base(i)) / active(i))",
               "out(i) = where(active(i) == 0, 0, 255 - (255 - base(i)) / active(i))",
               "out(i) = where(active(i) == 0, 255, 255 - 255 / active(i) + base(i) / active(i))"),
        construct="function where"),
    "add8": Kernel("""
        #include <stdint.h>
        void add8(int n, const uint8_t *a, const uint8_t *b, uint8_t *out) {
            for (int i = 0; i < n; i++) out[i] = a[i] + b[i];
        }""", "out(i) = a(i) + b(i)", wrong=("out(i) = min(a(i) + b(i), 255)",)),
    "multiply8": Kernel("""
        #include <stdint.h>
        void multiply8(int n, const uint8_t *a, const uint8_t *b, uint8_t *out) {
            for (int i = 0; i < n; i++) out[i] = a[i] * b[i] / 255;
        }""", "out(i) = a(i) * b(i) / 255", wrong=("out(i) = a(i) * (b(i) / 255)", "out(i) = a(i) * b(i) / 256")),
    "diff8": Kernel("""
        #include <stdint.h>
        void diff8(int h, int w, const uint8_t *a, const uint8_t *b, uint8_t *out) {
            for (int i = 0; i < h; i++)
                for (int j = 0; j < w; j++) {
                    int x = a[i*w + j], y = b[i*w + j];
                    out[i*w + j] = x > y ? x - y : y - x;
                }
        }""", "out(i,j) = where(a(i,j) > b(i,j), a(i,j) - b(i,j), b(i,j) - a(i,j))",
        wrong=("out(i,j) = a(i,j) - b(i,j)", "out(i,j) = where(a(i,j) < b(i,j), a(i,j) - b(i,j), b(i,j) - a(i,j))"),
        also=("out(i,j) = abs(a(i,j) - b(i,j))",), construct="function where"),
}

EXTENDED = [k for k, v in KERNELS.items() if v.construct]
ALL_PROGRAMS = sorted({t for k in KERNELS.values() for t in (k.program, *k.wrong, *k.also)})


@pytest.mark.parametrize("text", ALL_PROGRAMS)
def test_every_kernel_program_round_trips(text):
    program = parse_program(text)
    assert parse_program(str(program)) == program


@pytest.fixture(scope="session")
def kernel_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("extended")


def kernel_path(kernel_dir, name):
    p = kernel_dir / f"{name}.c"
    if not p.exists():
        p.write_text(KERNELS[name].c.strip() + "\n")
    return p


@functools.lru_cache(maxsize=None)
def _analyzed(path: str):
    return api.analyze(path, examples=3)


def analyzed(kernel_dir, name):
    return _analyzed(str(kernel_path(kernel_dir, name)))


# ====================================================================== 3. the verifier


@pytest.mark.parametrize("name", KERNELS)
def test_verifier_proves_the_program_and_refutes_near_misses(kernel_dir, name):
    k = KERNELS[name]
    path = kernel_path(kernel_dir, name)
    for text in (k.program, *k.also):
        got = api.verify(path, text, name)
        assert got.verdict == "proved", (text, got)
        assert got.scope == "all-sizes" and got.bound is None, (text, got)
    for text in k.wrong:
        got = api.verify(path, text, name)
        assert got.verdict == "refuted", (text, got)
        cex = got.counterexample
        assert set(cex) >= {"sizes", "inputs", "expected", "got"}


def test_verifier_model_follows_the_types(kernel_dir):
    assert api.verify(kernel_path(kernel_dir, "relu"), KERNELS["relu"].program).model == "integers"
    assert api.verify(kernel_path(kernel_dir, "rowmax"), KERNELS["rowmax"].program).model == "reals"


def test_counterexample_of_a_wrong_comparison_shows_the_difference(kernel_dir):
    got = api.verify(kernel_path(kernel_dir, "relu"), "y(i) = where(x(i) > 1, x(i), 0)")
    cex = got.counterexample
    assert cex["expected"]["y"] != cex["got"]["y"]
    assert 1 in [v for v in np.ravel(cex["inputs"]["x"])]     # the one value where > 0 and > 1 differ


@pytest.mark.parametrize("c, program, why", [
    # a loop whose trip count depends on the data: the symbolic run cannot follow it (or the
    # analysis refuses the kernel, naming the loop)
    ("""void count(int n, const int *x, int *y) {
            for (int i = 0; i < n; i++) { int k = 0; while (k < x[i]) k++; y[i] = k; }
        }""", "y(i) = max(x(i), 0)", "depends on array values|trip count depends on data"),
    # a store the examples (sizes 3, 4, 5) never made, outside the region analysis fitted
    ("""void edge(int n, const int *x, int *y) {
            for (int i = 0; i < n; i++) y[i] = x[i];
            if (n == 1) y[1] = 0;
        }""", "y(i) = x(i)", "outside the region"),
])
def test_verifier_says_unknown_when_it_cannot_cover_the_c(tmp_path, c, program, why):
    path = tmp_path / "k.c"
    path.write_text(c)
    try:
        got = api.verify(path, program)
    except UnsupportedConstruct as e:          # refused by name: never "proved" either
        assert re.search(why, str(e)), e
        return
    assert got.verdict == "unknown", got
    assert re.search(why, got.reason), got.reason


def test_verifier_bound_must_reach_a_constant_threshold(tmp_path):
    """`for i < 4` holds for every index when sizes stop at 3: no proof of it at that bound."""
    path = tmp_path / "cap.c"
    path.write_text("void cap(int n, const int *x, int *y) { for (int i = 0; i < n; i++) y[i] = i < 4 ? x[i] : -x[i]; }")
    right, near = "y(i) = -x(i); y(i) = x(i) for i < 4", "y(i) = -x(i); y(i) = x(i) for i < 3"
    got = api.verify(path, right, bound=3)
    assert got.verdict == "proved" and got.scope == "all-sizes"     # by induction: no bound to reach
    got = api.verify(path, near, bound=3)
    assert got.verdict == "unknown" and "i < 3" in got.reason and "bound" in got.reason
    assert api.verify(path, right, bound=5).verdict == "proved"
    assert api.verify(path, near, bound=5).verdict == "refuted"
    assert api.verify(path, "y(i) = -x(i); y(i) = x(i) for 3 >= i", bound=5).verdict == "proved"


def test_verifier_refutes_a_variable_without_extent(kernel_dir):
    """`j` only inside an index expression: nothing gives its extent; refuted, not a crash."""
    got = api.verify(kernel_path(kernel_dir, "fir_block"), "y(i) = max(j, x(i+j))")
    assert got.verdict == "refuted" and "extent of j" in got.counterexample["reason"]


def test_short_circuit_logic_in_the_c_is_never_proved_wrongly(tmp_path):
    """`&&` and `||` on array values branch in C; the symbolic run may not follow them (then
    `unknown`, with why), but a near miss is never proved."""
    path = tmp_path / "band.c"
    path.write_text("""
        void band(int n, const int *x, const int *f, int lo, int hi, int *m) {
            for (int i = 0; i < n; i++) m[i] = (x[i] > lo && x[i] <= hi) || !f[i];
        }""")
    got = api.verify(path, "m(i) = x(i) > lo && x(i) <= hi || !f(i)")
    assert got.verdict in ("proved", "unknown"), got
    if got.verdict == "unknown":
        assert "control flow" in got.reason
    for wrong in ("m(i) = x(i) >= lo && x(i) <= hi || !f(i)", "m(i) = x(i) > lo && x(i) <= hi && !f(i)"):
        assert api.verify(path, wrong).verdict in ("refuted", "unknown")


def test_cli_verify_of_extended_programs(kernel_dir):
    path = kernel_path(kernel_dir, "smooth")
    proc, out = cli_json("verify", path, KERNELS["smooth"].program)
    assert proc.returncode == 0 and out["verdict"] == "proved", proc.stderr
    proc, out = cli_json("verify", path, "b(i) = a(i-1) + a(i) + a(i+1) for i >= 2 && i < n-1")
    assert proc.returncode == 1 and out["verdict"] == "refuted"
    cex = out["counterexample"]
    assert cex["expected"]["b"] != cex["got"]["b"]


# ====================================================================== 4. back ends

ARRAY_TARGETS = ("numpy", "torch", "jax")


def _evaluated(program, sig, ex):
    env = example_env(ex, sig)
    return evaluate(program, env, dtypes_of(sig))


def assert_vectorised(source):
    """No Python loop of any kind in the emitted module (comments and docstrings, which
    quote the program's `for` domains, aside)."""
    tree = ast.parse(source)
    loops = [type(n).__name__ for n in ast.walk(tree)
             if isinstance(n, (ast.For, ast.AsyncFor, ast.While, ast.comprehension))]
    assert not loops, source
    code = "\n".join(line.split("#")[0] for line in source.split('"""')[-1].split("\n"))
    assert "for " not in code, source


def call_with_none_outputs(source, sig, ex):
    """The emitted function called as its docstring allows: outputs that "may be None" as
    None (a write-only output whose other elements a domain keeps is read, and says so)."""
    ns: dict = {}
    exec(compile(source, "<emitted>", "exec"), ns)
    optional = {p.name for p in sig.params if f"{p.name}: " in source and
                re.search(rf"\b{p.name}: [^\n]*may be None", source)}
    env = example_env(ex, sig)
    args = [None if p.name in optional else env[p.name] for p in sig.call_params]
    result = ns[function_name(sig)](*args)
    values = [result] if len(sig.outputs) == 1 else list(result)
    return {name: np.asarray(v.detach().numpy() if hasattr(v, "detach") else v)
            for name, v in zip(sig.outputs, values)}


def assert_same(got, want, what):
    g, w = np.asarray(got), np.asarray(want)
    assert g.shape == w.shape, what
    if g.dtype.kind in "iu":
        assert np.array_equal(g, w), (what, g, w)
    else:
        assert np.allclose(g, w, rtol=1e-5, atol=1e-5), (what, g, w)


@pytest.mark.parametrize("name", KERNELS)
def test_array_back_ends_run_the_program_vectorised(kernel_dir, name):
    for target in ARRAY_TARGETS[1:]:
        need(target)
    k = KERNELS[name]
    res = analyzed(kernel_dir, name)
    sig, examples = res.signature, res.examples
    for text in (k.program, *k.also):
        program = parse_program(text)
        for target in ARRAY_TARGETS:
            source = emit(target, program, sig)
            assert_vectorised(source)
            check_emitted(target, source, sig, examples)
            for ex in examples:
                got, want = run_emitted(target, source, sig, ex), _evaluated(program, sig, ex)
                bare = call_with_none_outputs(source, sig, ex)
                for out in sig.outputs:
                    assert_same(got[out], want[out], (target, text, out))
                    if out != sig.function and sig.param(out).access == "write":
                        assert_same(bare[out], want[out], (target, text, out, "None"))


@pytest.mark.parametrize("name", EXTENDED)
@pytest.mark.parametrize("target", ["taco", "tensora"])
def test_taco_and_tensora_refuse_naming_the_construct(kernel_dir, name, target):
    k = KERNELS[name]
    sig = analyzed(kernel_dir, name).signature
    with pytest.raises(TensorliftError, match=f"target {target} cannot express.*{k.construct}"):
        emit(target, parse_program(k.program), sig)


def _sig(*params, returns=None):
    """A signature by hand: `n`, `m` sizes, then arrays as (name, dtype, access, *shape)."""
    out = [Param(n, "scalar", "int", role="dimension") for n in ("n", "m")]
    out += [Param(name, "array", dtype, access, list(shape)) for name, dtype, access, *shape in params]
    return Signature("f", out, returns=returns)


BUILT = [   # programs the C kernels above do not reach: corner cases of the back ends
    ("y(i) = A(i,i)", _sig(("A", "int", "read", "n", "m"), ("y", "int", "write", "n"))),       # diagonal, wider
    ("y(i) = x(i) * 2", _sig(("x", "double", "read", "m"), ("y", "double", "write", "n"))),    # longer input
    ("C(i,j) = B(i+1,j) for i < n-1", _sig(("B", "int", "read", "n", "n"), ("C", "int", "readwrite", "n", "n"))),
    ("C(i,j) = B(i-1,j-1) + B(i+1,j+1) for i >= 1 && j >= 1 && i < n-1 && j < n-1",
     _sig(("B", "double", "read", "n", "n"), ("C", "double", "readwrite", "n", "n"))),
    ("C(i,j) = max(k, B(i,k)) for i == j", _sig(("B", "int", "read", "n", "n"), ("C", "int", "readwrite", "n", "n"))),
    ("C(i,j) += B(j,i) for i != j", _sig(("B", "double", "read", "n", "n"), ("C", "double", "readwrite", "n", "n"))),
    ("y(i) = prod(A(i,j))", _sig(("A", "int", "read", "n", "m"), ("y", "int", "write", "n"))),
    ("f = prod(i, j, A(i,j)) + max(i, j, A(i,j))", _sig(("A", "double", "read", "n", "m"), returns="double")),
    ("y(i) = sum(j, A(i,j) > 0) - max(j, A(i,j) < 0)", _sig(("A", "double", "read", "n", "m"), ("y", "int", "write", "n"))),
    ("t(i) = A(i,j) * x(j); y(i) = where(t(i) > 0, t(i), -t(i) / 2)",
     _sig(("A", "int", "read", "n", "m"), ("x", "int", "read", "m"), ("y", "int", "write", "n"))),
    ("t = max(i, j, A(i,j)); y(i) = A(i,0) / (abs(t) + 1)", _sig(("A", "double", "read", "n", "m"), ("y", "double", "write", "n"))),
    ("o(i) = (a(i) + b(i)) / 2 for i > 0", _sig(("a", "uint8", "read", "n"), ("b", "uint8", "read", "n"), ("o", "uint8", "readwrite", "n"))),
    ("o(i) = where(b(i) == 0, 255, min(255, a(i) * 255 / b(i)))",
     _sig(("a", "uint8", "read", "n"), ("b", "uint8", "read", "n"), ("o", "uint8", "write", "n"))),
    ("y(i) = x(2*n-1-2*i) - x(n+i)", _sig(("x", "int", "read", "2*n"), ("y", "int", "write", "n"))),
]


@pytest.mark.parametrize("text, sig", BUILT, ids=[t for t, _ in BUILT])
def test_back_ends_agree_with_the_evaluator_on_corner_cases(text, sig):
    for target in ARRAY_TARGETS[1:]:
        need(target)
    sizes = {"n": 3, "m": 4}
    rng = np.random.default_rng(len(text))
    program = parse_program(text)
    inputs = dict(sizes)
    for p in sig.params:
        if p.kind == "array":
            shape = tuple(eval(e, {}, dict(sizes)) for e in p.shape)
            v = rng.integers(0, 256, size=shape) if p.dtype == "uint8" else rng.integers(-4, 5, size=shape)
            inputs[p.name] = v.astype(np.int64) if carith.is_int(p.dtype) else v / 4
    want = evaluate(program, inputs, dtypes_of(sig))
    ex = Example(sizes, inputs, {o: want[o] for o in sig.outputs})
    for target in ARRAY_TARGETS:
        source = emit(target, program, sig)
        assert_vectorised(source)
        check_emitted(target, source, sig, [ex])


def test_integer_division_by_zero_in_an_untaken_branch(kernel_dir):
    """C never divides where `active` is 0, but a vectorised where computes both branches:
    no back end may fail or warn there."""
    res = analyzed(kernel_dir, "burn")
    sig, program = res.signature, parse_program(KERNELS["burn"].program)
    ex = res.examples[0]
    base = ex.inputs["base"]
    active = np.arange(base.size) % 3 - 1                       # -1, 0, 1, -1, ...
    env = {**ex.inputs, "active": active}
    want = evaluate(program, {**env, "out": np.zeros_like(base)}, dtypes_of(sig))["out"]
    assert want[1] == 255
    for target in ARRAY_TARGETS:
        source = emit(target, program, sig)
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            got = run_emitted(target, source, sig, Example(ex.sizes, env, ex.outputs))["out"]
        assert got.tolist() == want.tolist(), target


@pytest.mark.parametrize("target", ["taco", "tensora"])
def test_taco_and_tensora_refuse_an_index_used_as_a_number(target):
    """`i * x(i)` has only plain TACO's operators, but TACO would read `i` as a tensor."""
    need("tensora")
    sig = _sig(("x", "int", "read", "n"), ("y", "int", "write", "n"))
    with pytest.raises(TensorliftError, match=f"target {target} cannot express the index i used as a value"):
        emit(target, parse_program("y(i) = i * x(i)"), sig)
    source = emit("numpy", parse_program("y(i) = i * x(i)"), sig)
    ex = Example({"n": 3, "m": 1}, {"n": 3, "m": 1, "x": np.array([4, 5, 6])}, {"y": np.array([0, 5, 12])})
    check_emitted("numpy", source, sig, [ex])
    # in any case of a guarded program, not only the first
    flagged = Signature("f", sig.params + [Param("T", "scalar", "int", role="flag")])
    guarded = parse_program("if T == 0:\n  y(i) = x(i)\nelif T != 0:\n  y(i) = i * x(i)")
    with pytest.raises(TensorliftError, match=f"target {target} cannot express the index i used as a value"):
        emit(target, guarded, flagged, [flagged, flagged])


def test_plain_uint8_kernels_still_go_to_taco_and_tensora(kernel_dir):
    need("tensora")
    res = analyzed(kernel_dir, "add8")
    for target in ("taco", "tensora"):
        emit_checked(target, parse_program(KERNELS["add8"].program), res.signature, res.examples)
    res = analyzed(kernel_dir, "multiply8")
    emit_checked("taco", parse_program(KERNELS["multiply8"].program), res.signature, res.examples)
    with pytest.raises(TensorliftError, match="integer division"):     # tensora has no truncating division
        emit("tensora", parse_program(KERNELS["multiply8"].program), res.signature)


def test_uint8_outputs_come_back_as_uint8(kernel_dir):
    res = analyzed(kernel_dir, "add8")
    program = parse_program(KERNELS["add8"].program)
    for target in ARRAY_TARGETS:
        source = emit(target, program, res.signature)
        for ex in res.examples:
            got = run_emitted(target, source, res.signature, ex)["out"]
            assert got.dtype == np.uint8
            a, b = ex.inputs["a"].astype(int), ex.inputs["b"].astype(int)
            assert got.tolist() == ((a + b) % 256).tolist()


# ====================================================================== 5. end to end

CLI_KERNELS = {                  # function -> the programs a lift may give (None: any proved one)
    "rowmax": ("r(i) = max(j, A(i,j))", "r(i) = max(A(i,j))"),
    "burn": ("out(i) = where(active(i) == 0, 255, 255 - (255 - base(i)) / active(i))",),
    "fir_block": None, "softmax2": None, "smooth": None, "multiply8": None, "relu_gemv": None,
    "downsample": ("y(i) = x(2*i) - x(2*i+2)",),
    # the translation once proposed `... for j <= 5`: true up to the bound, wrong beyond it
    "center": ("B(i,j) = A(i,j) - max(k, A(i,k))",),
    "lower": ("C(i,j) = A(i,j) for j <= i", "C(i,j) = A(i,j) for i >= j"),
}


def test_cli_lift_proves_and_emits_every_array_target(tmp_path):
    """One file with several kernels (one process: start-up is most of a lift's time)."""
    text = "#include <math.h>\n#include <stdint.h>\n" + "\n".join(
        re.sub(r"#include <\w+\.h>", "", KERNELS[name].c) for name in CLI_KERNELS)
    path = tmp_path / "many.c"
    path.write_text(text)
    proc = cli("lift", path, "--target", "numpy,torch,jax", "--json")
    assert proc.returncode == 0, proc.stderr
    results = {r["function"]: r for r in map(json.loads, proc.stdout.splitlines())}
    assert set(results) == set(CLI_KERNELS)
    for name, programs in CLI_KERNELS.items():
        out = results[name]
        assert out["status"] == "lifted" and out["verification"] == "proved", out
        if programs is not None:
            assert parse_program(out["program"]) in [parse_program(p) for p in programs], out["program"]
        assert set(out["code"]) == set(ARRAY_TARGETS)
        res = api.analyze(path, name, examples=2, seed=1)
        lifted = parse_program(out["program"])
        for target, source in out["code"].items():
            assert_vectorised(source)
            check_emitted(target, source, res.signature, res.examples)
        # beyond the proof's bound: the lifted program and ours agree at larger sizes
        big = _larger_example(res, name)
        want = evaluate(parse_program(KERNELS[name].program), *big)
        got = evaluate(lifted, *big)
        for o in res.signature.outputs:
            assert np.allclose(np.asarray(got[o], dtype=float), np.asarray(want[o], dtype=float)), (name, out["program"])


def _larger_example(res, name, scale=3):
    """An environment at sizes several times the examples' (7 and more), random inputs."""
    sig = res.signature
    ex = res.examples[0]
    rng = np.random.default_rng(5)
    sizes = {k: v * scale for k, v in ex.sizes.items()}
    env = {}
    for p in sig.params:
        if p.kind == "scalar":
            env[p.name] = sizes[p.name] if p.name in sizes else ex.inputs[p.name]
            continue
        shape = tuple(int(eval(e, {}, dict(sizes))) for e in p.shape)
        v = rng.integers(-5, 6, size=shape) if p.dtype not in ("uint8",) else rng.integers(0, 256, size=shape)
        env[p.name] = v.astype(np.int64) if carith.is_int(p.dtype) else v / 2
    if "active" in env:
        env["active"][::2] = 0
    return env, dtypes_of(sig)
