"""The evaluator on the notation beyond plain TACO, construct by construct and in combination,
against naive loops written here: a max inside an expression, a where over a reduction, a window
x(i+k)*w(k), a domain with an affine index, softmax in two statements, C's integer division
inside a where, uint8 outputs."""
from __future__ import annotations

import itertools
import math

import numpy as np
import pytest

from tensorlift.taco.evaluate import EvalError, evaluate
from tensorlift.taco.parse import parse_program


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
