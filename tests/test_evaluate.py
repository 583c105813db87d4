import itertools
import math
import random
from collections import Counter

import numpy as np
import pytest

from tensorlift.taco.evaluate import EvalError, evaluate, evaluate_expr, index_extents, rhs_value
from tensorlift.taco.ir import Access, BinOp, Call, Const, Neg, Program, Statement, accesses
from tensorlift.taco.parse import parse_expression, parse_program, parse_statement

RNG = np.random.default_rng(7)
A = RNG.integers(-5, 6, size=(3, 4))
B = RNG.integers(-5, 6, size=(4, 5))
X = RNG.integers(-5, 6, size=4)
F = RNG.normal(size=(3, 4))
G = RNG.normal(size=4)


def run(text, env, dtypes):
    return evaluate(parse_program(text), env, dtypes)


def test_matvec():
    out = run("y(i) = A(i,j) * x(j)", {"A": A, "x": X}, {"A": "int", "x": "int", "y": "int"})["y"]
    expect = [sum(A[i, j] * X[j] for j in range(4)) for i in range(3)]
    assert out.dtype == np.int64 and out.tolist() == expect


def test_matmul():
    out = run("C(i,k) = A(i,j) * B(j,k)", {"A": A, "B": B}, {"A": "int", "B": "int", "C": "int"})["C"]
    expect = [[sum(A[i, j] * B[j, k] for j in range(4)) for k in range(5)] for i in range(3)]
    assert out.tolist() == expect


def test_transpose():
    out = run("T(j,i) = A(i,j)", {"A": A}, {"A": "int", "T": "int"})["T"]
    assert out.shape == (4, 3)
    assert all(out[j, i] == A[i, j] for i in range(3) for j in range(4))


def test_outer_product():
    v = np.array([1.5, -2.0, 3.0])
    out = run("O(i,j) = v(i) * g(j)", {"v": v, "g": G}, {"v": "double", "g": "double", "O": "double"})["O"]
    for i in range(3):
        for j in range(4):
            assert out[i, j] == v[i] * G[j]


def test_dot_to_scalar():
    out = run("dot = x(i) * g(i)", {"x": X, "g": G}, {"x": "int", "g": "double", "dot": "double"})["dot"]
    expect = 0.0
    for i in range(4):
        expect += X[i] * G[i]
    assert isinstance(out, np.float64) and not isinstance(out, np.ndarray)
    assert out == pytest.approx(expect)


def test_sum_of_all_elements():
    out = run("s = A(i,j)", {"A": A}, {"A": "int", "s": "int"})["s"]
    assert isinstance(out, np.int64) and out == sum(A[i, j] for i in range(3) for j in range(4))


def test_accumulate_adds_to_existing_output():
    y0 = np.array([1, 2, 3])
    out = run("y(i) += A(i,j) * x(j)", {"A": A, "x": X, "y": y0}, {"A": "int", "x": "int", "y": "int"})["y"]
    assert out.tolist() == [y0[i] + sum(A[i, j] * X[j] for j in range(4)) for i in range(3)]
    assert y0.tolist() == [1, 2, 3]  # env is not modified


def test_accumulate_absent_output_starts_at_zero():
    out = run("s += x(i)", {"x": X}, {"x": "int", "s": "int"})["s"]
    assert out == sum(X)


def test_reduction_placed_at_smallest_subexpression():
    d = np.array([10, 20, 30])
    out = run("a(i) = A(i,j) * x(j) + d(i)", {"A": A, "x": X, "d": d}, {"A": "int", "x": "int", "d": "int", "a": "int"})["a"]
    assert out.tolist() == [sum(A[i, j] * X[j] for j in range(4)) + d[i] for i in range(3)]
    # every use of i is in the whole sum, so the sum is over (b + c)
    b, c = np.array([1, 2]), np.array([3, 4])
    assert run("a = b(i) + c(i)", {"b": b, "c": c}, {"b": "int", "c": "int", "a": "int"})["a"] == 10
    # i only in b: `a = b(i) + 1` is (sum b) + 1, not sum (b + 1)
    assert run("a = b(i) + 1", {"b": b}, {"b": "int", "a": "int"})["a"] == 4


def test_scalars_and_constants():
    env = {"x": G, "alpha": 2.5, "n": 3}
    out = run("y(i) = alpha * x(i) + n - 0.5", env, {"x": "float", "alpha": "float", "n": "int", "y": "float"})["y"]
    assert np.allclose(out, [2.5 * G[i] + 3 - 0.5 for i in range(4)])
    assert run("k = 7 / 2 * n", env, {"n": "int", "k": "int"})["k"] == 9


def test_integer_division_truncates_toward_zero():
    env = {"a": np.array([-7, 7, -7, 7, 0]), "b": np.array([2, 2, -2, -2, 3])}
    dt = {"a": "int", "b": "int", "q": "int"}
    assert run("q(i) = a(i) / b(i)", env, dt)["q"].tolist() == [-3, 3, 3, -3, 0]
    assert run("q(i) = a(i) / 2", env, dt)["q"].tolist() == [-3, 3, -3, 3, 0]


def test_integer_division_by_zero_gives_zero():
    """C never divides by zero where it runs; a select computes both of its branches."""
    env = {"a": np.array([1, 2]), "b": np.array([1, 0])}
    assert run("q(i) = a(i) / b(i)", env, {"a": "int", "b": "int", "q": "int"})["q"].tolist() == [1, 0]
    assert run("q(i) = where(b(i) == 0, -1, a(i) / b(i))", env, {"a": "int", "b": "int", "q": "int"})["q"].tolist() == [1, -1]


def test_float_division_by_zero_is_ieee():
    env = {"a": np.array([1.0, -1.0]), "b": np.array([0.0, 0.0])}
    out = run("q(i) = a(i) / b(i)", env, {"a": "float", "b": "float", "q": "float"})["q"]
    assert out.tolist() == [math.inf, -math.inf]


def test_int_to_float_promotion_and_conversion():
    env = {"a": np.array([-7, 7]), "h": 0.5}
    dt = {"a": "int", "h": "double", "f": "double", "q": "int"}
    assert run("f(i) = a(i) * h", env, dt)["f"].tolist() == [-3.5, 3.5]
    assert run("f(i) = a(i) / 2", env, dt)["f"].tolist() == [-3.0, 3.0]  # int division first
    assert run("f(i) = a(i) / 2.0", env, dt)["f"].tolist() == [-3.5, 3.5]
    assert run("q(i) = a(i) * h", env, dt)["q"].tolist() == [-3, 3]  # float stored in int truncates
    out = run("q(i) = a(i) * h", env, dt)["q"]
    assert out.dtype == np.int64


def test_diagonal():
    M = np.arange(9).reshape(3, 3)
    assert run("d(i) = M(i,i)", {"M": M}, {"M": "int", "d": "int"})["d"].tolist() == [0, 4, 8]
    assert run("t = M(i,i)", {"M": M}, {"M": "int", "t": "int"})["t"] == 12


def test_lhs_variable_absent_from_rhs_broadcasts():
    b = np.array([1, 2, 3])
    out = run("A(i,j) = b(i)", {"b": b, "A": np.zeros((3, 2), dtype=np.int64)}, {"b": "int", "A": "int"})["A"]
    assert out.tolist() == [[1, 1], [2, 2], [3, 3]]
    with pytest.raises(EvalError):  # extent of j unknown without A in env
        run("A(i,j) = b(i)", {"b": b}, {"b": "int", "A": "int"})


def test_multi_statement_program_reads_earlier_result():
    env = {"A": A, "x": X}
    dt = {"A": "int", "x": "int", "t": "int", "y": "int"}
    out = run("t(i) = A(i,j) * x(j); y(j) = A(i,j) * t(i)", env, dt)
    t = [sum(A[i, j] * X[j] for j in range(4)) for i in range(3)]
    assert out["t"].tolist() == t
    assert out["y"].tolist() == [sum(A[i, j] * t[i] for i in range(3)) for j in range(4)]


def test_extent_mismatch_is_an_error():
    with pytest.raises(EvalError):
        run("y(i) = A(i,j) * B(i,j)", {"A": A, "B": B}, {"A": "int", "B": "int", "y": "int"})
    with pytest.raises(EvalError):
        run("y(i) = A(i,j) * x(i)", {"A": A, "x": X}, {"A": "int", "x": "int", "y": "int"})
    with pytest.raises(EvalError):  # output shape fixes i = 4, A has 3 rows
        run("y(i) = A(i,j)", {"A": A, "y": np.zeros(4)}, {"A": "int", "y": "int"})
    # a larger array on the right is read in part: the output's shape sets i
    assert run("y(i) = A(i,j)", {"A": A, "y": np.zeros(2)}, {"A": "int", "y": "int"})["y"].tolist() == \
        A[:2].sum(axis=1).tolist()


def test_wrong_order_and_unknown_tensor_are_errors():
    with pytest.raises(EvalError):
        run("y(i) = A(i)", {"A": A}, {"A": "int", "y": "int"})
    with pytest.raises(EvalError):
        run("y(i) = Q(i)", {"A": A}, {"A": "int", "y": "int"})
    with pytest.raises(EvalError):
        run("y(i,i) = A(i,i)", {"A": A}, {"A": "int", "y": "int"})


def test_functions():
    env = {"a": np.array([-2, 3]), "f": np.array([0.0, 4.0])}
    dt = {"a": "int", "f": "float", "y": "float", "k": "int"}
    assert run("k(i) = max(a(i), 0)", env, dt)["k"].tolist() == [0, 3]
    assert run("k(i) = min(a(i), 0) + abs(a(i))", env, dt)["k"].tolist() == [0, 3]
    assert run("y(i) = sqrt(f(i))", env, dt)["y"].tolist() == [0.0, 2.0]
    assert np.allclose(run("y(i) = exp(a(i))", env, dt)["y"], np.exp([-2, 3]))


def test_index_extents():
    e = parse_expression("A(i,j) * x(j)")
    assert index_extents(e, {"A": A, "x": X}) == {"i": 3, "j": 4}
    st = parse_statement("y(i,k) = x(i)")
    assert index_extents(st, {"x": X, "y": np.zeros((4, 7))}) == {"i": 4, "k": 7}


def test_evaluate_expr_keep():
    e = parse_expression("A(i,j) * x(j)")
    env, dt = {"A": A, "x": X}, {"A": "int", "x": "int"}
    arr, free = evaluate_expr(e, env, dt, keep=("i",))
    assert free == ("i",) and arr.tolist() == (A @ X).tolist()
    arr, free = evaluate_expr(e, env, dt)
    assert free == () and arr == (A @ X).sum()
    arr, free = evaluate_expr(e, env, dt, extents={"i": 3, "j": 4}, keep=("i", "j"))
    assert set(free) == {"i", "j"}
    assert rhs_value(Access("y", ("i",)), e, env, dt).tolist() == (A @ X).tolist()


# ---- naive reference: explicit loops over every index ---------------------------------------

def naive_evaluate(program, env, dtypes):
    env = dict(env)
    results = {}
    for st in program.statements:
        extents = {}
        used = list(accesses(st.rhs)) + ([st.lhs] if st.lhs.name in env else [])
        for a in used:
            if a.name not in env:
                raise EvalError("unknown")
            shape = np.shape(env[a.name])
            if len(shape) != len(a.indices):
                raise EvalError("order")
            for v, n in zip(a.indices, shape):
                if extents.setdefault(v, n) != n:
                    raise EvalError("extent")
        lhs_vars = st.lhs.indices
        if len(set(lhs_vars)) != len(lhs_vars) or any(v not in extents for v in lhs_vars):
            raise EvalError("lhs")
        total = Counter(v for a in accesses(st.rhs) for v in a.indices)

        def uses(node):
            return Counter(v for a in accesses(node) for v in a.indices)

        def children(node):
            if isinstance(node, Neg):
                return [node.operand]
            if isinstance(node, BinOp):
                return [node.left, node.right]
            if isinstance(node, Call):
                return list(node.args)
            return []

        def placed(node):
            here = uses(node)
            return [v for v in here if v not in lhs_vars and here[v] == total[v]
                    and all(uses(c)[v] < total[v] for c in children(node))]

        def value(node, asg):
            vs = placed(node)
            if not vs:
                return raw(node, asg)
            acc = None
            for combo in itertools.product(*(range(extents[v]) for v in vs)):
                x = raw(node, {**asg, **dict(zip(vs, combo))})
                acc = x if acc is None else acc + x
            return acc

        def raw(node, asg):
            if isinstance(node, Access):
                v = np.asarray(env[node.name])[tuple(asg[i] for i in node.indices)]
                return int(v) if dtypes[node.name] == "int" else np.float64(v)
            if isinstance(node, Const):
                return node.value if isinstance(node.value, int) else np.float64(node.value)
            if isinstance(node, Neg):
                return -value(node.operand, asg)
            if isinstance(node, BinOp):
                a, b = value(node.left, asg), value(node.right, asg)
                if node.op == "+":
                    return a + b
                if node.op == "-":
                    return a - b
                if node.op == "*":
                    return a * b
                if isinstance(a, int) and isinstance(b, int):
                    if b == 0:
                        return 0
                    q = abs(a) // abs(b)
                    return q if (a < 0) == (b < 0) else -q
                return np.float64(a) / np.float64(b)
            args = [value(x, asg) for x in node.args]
            if node.func == "min":
                r = min(args[0], args[1])
                return r if all(isinstance(x, int) for x in args) else np.float64(r)
            if node.func == "max":
                r = max(args[0], args[1])
                return r if all(isinstance(x, int) for x in args) else np.float64(r)
            if node.func == "abs":
                return abs(args[0])
            if node.func == "exp":
                return np.exp(np.float64(args[0]))
            return np.sqrt(np.float64(args[0]))

        out_int = dtypes[st.lhs.name] == "int"
        shape = tuple(extents[v] for v in lhs_vars)
        old = np.asarray(env.get(st.lhs.name, 0))
        out = np.zeros(shape, dtype=np.int64 if out_int else np.float64)
        for combo in itertools.product(*(range(n) for n in shape)):
            x = value(st.rhs, dict(zip(lhs_vars, combo)))
            if st.accumulate:
                prev = old[combo] if old.ndim else old[()]
                x = (int(prev) if out_int else np.float64(prev)) + x
            if out_int and not isinstance(x, int):
                if not math.isfinite(x) or abs(x) >= 2.0 ** 63:
                    raise EvalError("convert")
                x = int(math.trunc(x))
            out[combo] = x
        env[st.lhs.name] = results[st.lhs.name] = out[()] if out.ndim == 0 else out
    return results


EXTENTS = {"i": 2, "p": 2, "j": 3, "k": 4}
TENSORS = {  # name: (dtype, shape)
    "A": ("int", (2, 3)), "B": ("double", (3, 4)), "M": ("int", (2, 2)), "v": ("float", (2,)),
    "w": ("int", (3,)), "u": ("double", (4,)), "s": ("int", ()), "t": ("double", ()),
}


def random_env(rng):
    env = {}
    for name, (dt, shape) in TENSORS.items():
        if dt == "int":
            vals = [rng.randint(-4, 4) for _ in range(int(np.prod(shape)))]
            env[name] = np.array(vals, dtype=np.int64).reshape(shape) if shape else vals[0]
        else:
            vals = [rng.choice([-2.5, -1.0, -0.25, 0.5, 0.75, 1.5, 2.0, 3.0]) for _ in range(int(np.prod(shape)))]
            env[name] = np.array(vals).reshape(shape) if shape else vals[0]
    return env


def random_access(rng, pool):
    name = rng.choice(sorted(pool))
    shape = pool[name][1]
    idx = tuple(rng.choice([v for v, n in EXTENTS.items() if n == d]) for d in shape)
    return Access(name, idx)


def random_rhs(rng, pool, depth):
    if depth == 0 or rng.random() < 0.35:
        if rng.random() < 0.85:
            return random_access(rng, pool)
        return Const(rng.choice([0, 1, 2, 3, 0.5, 1.5]))
    r = rng.random()
    if r < 0.65:
        return BinOp(rng.choice("+-*/"), random_rhs(rng, pool, depth - 1), random_rhs(rng, pool, depth - 1))
    if r < 0.75:
        return Neg(random_rhs(rng, pool, depth - 1))
    func = rng.choice(["min", "max", "abs", "exp", "sqrt"])
    if func in ("min", "max"):
        return Call(func, (random_rhs(rng, pool, depth - 1), random_rhs(rng, pool, depth - 1)))
    if func == "exp":
        return Call(func, (random_access(rng, pool),))
    return Call(func, (random_rhs(rng, pool, depth - 1),))


def random_case(rng):
    pool = dict(TENSORS)
    env = random_env(rng)
    dtypes = {n: dt for n, (dt, _) in TENSORS.items()}
    statements = []
    for n in range(rng.randint(1, 2)):
        rhs = random_rhs(rng, pool, 3)
        used = sorted({v for a in accesses(rhs) for v in a.indices})
        lhs_vars = tuple(rng.sample(used, rng.randint(0, min(2, len(used)))))
        if rng.random() < 0.1:
            lhs_vars += tuple(v for v in ["k"] if v not in lhs_vars)  # maybe absent from rhs
        out = f"o{n}"
        dtypes[out] = rng.choice(["int", "double"])
        shape = tuple(EXTENTS[v] for v in lhs_vars)
        accumulate = rng.random() < 0.3
        if accumulate and rng.random() < 0.7:
            env[out] = np.ones(shape, dtype=np.int64 if dtypes[out] == "int" else np.float64) * 2
            if not shape:
                env[out] = env[out][()]
        statements.append(Statement(Access(out, lhs_vars), rhs, accumulate))
        pool[out] = (dtypes[out], shape)
    return Program(tuple(statements)), env, dtypes


def outcome(f, *args):
    try:
        return f(*args)
    except EvalError:
        return EvalError


def test_matches_naive_loops_on_random_programs():
    rng = random.Random(2024)
    errors = compared = 0
    for _ in range(250):
        program, env, dtypes = random_case(rng)
        got = outcome(evaluate, program, env, dtypes)
        with np.errstate(all="ignore"):
            want = outcome(naive_evaluate, program, env, dtypes)
        if want is EvalError or got is EvalError:
            assert got is want, str(program)
            errors += 1
            continue
        compared += 1
        assert got.keys() == want.keys()
        for name in want:
            g, w = np.asarray(got[name]), np.asarray(want[name])
            assert g.shape == w.shape and g.dtype == w.dtype, str(program)
            assert np.allclose(g, w, rtol=1e-9, atol=1e-9, equal_nan=True), str(program)
    assert compared > 150 and errors > 0


def test_extent_check_can_be_skipped_with_given_extents():
    e = parse_expression("A(i,j) * x(j)")
    env, dt = {"A": A, "x": X}, {"A": "int", "x": "int"}
    arr, free = evaluate_expr(e, env, dt, extents=index_extents(e, env), keep=("i",))
    assert arr.tolist() == (A @ X).tolist()
    with pytest.raises(EvalError):  # an extent past the end of an array
        evaluate_expr(parse_expression("A(i,j) * B(i,j)"), {"A": A, "B": B}, {"A": "int", "B": "int"},
                      extents={"i": 4, "j": 4}, keep=("i", "j"))

