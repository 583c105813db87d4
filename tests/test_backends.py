"""Back ends: emitted code is run on examples whose outputs are computed here with plain
Python loops following C's rules (truncating integer division, float-to-int truncation)."""
from __future__ import annotations

import importlib.util
import itertools
import re

import numpy as np
import pytest
from helpers import need

from tensorlift import carith
from tensorlift.backends import (check_emitted, emit, emit_checked, function_name,
                                 run_emitted)
from tensorlift.taco.parse import parse_program
from tensorlift.errors import TensorliftError
from tensorlift.taco.ir import Access, BinOp, Call, Const, Neg, Program, Statement
from tensorlift.signature import Example, Param, Signature

PY_TARGETS = ("numpy", "torch", "jax", "tensora")
SIZES = {"n": 3, "m": 4, "k": 5}


# ---------------------------------------------------------------------- building blocks

def acc(name, *idx):
    return Access(name, tuple(idx))


def mul(*xs):
    out = xs[0]
    for x in xs[1:]:
        out = BinOp("*", out, x)
    return out


def add(a, b):
    return BinOp("+", a, b)


def sub(a, b):
    return BinOp("-", a, b)


def div(a, b):
    return BinOp("/", a, b)


def prog(*statements):
    return Program(tuple(statements))


def st(lhs, rhs, accumulate=False):
    return Statement(lhs, rhs, accumulate)


def dim(name):
    return Param(name, "scalar", "int", role="dimension")


def val(name, dtype):
    return Param(name, "scalar", dtype, role="value")


def arr(name, dtype, access, *shape):
    return Param(name, "array", dtype, access, list(shape))


def c_div(a: int, b: int) -> int:
    q = abs(a) // abs(b)
    return -q if (a < 0) != (b < 0) else q


def c_int(x: float) -> int:
    """C's conversion of a float to int: toward zero."""
    return int(x)


def nd(shape, f):
    """An array of the given shape filled by f(*index) in explicit loops."""
    out = np.empty(shape, dtype=object)
    for ix in itertools.product(*(range(s) for s in shape)):
        out[ix] = f(*ix)
    return out


def random_inputs(sig, rng, sizes=SIZES):
    inputs = {}
    for p in sig.params:
        if p.kind == "scalar":
            inputs[p.name] = sizes.get(p.name, 0) if p.role == "dimension" else (
                int(rng.integers(-5, 6)) or 2 if p.dtype == "int" else float(rng.normal()))
        else:
            shape = tuple(sizes[s] if s in sizes else eval(s, {}, dict(sizes)) for s in p.shape)
            if p.dtype == "int":
                inputs[p.name] = rng.integers(-9, 10, size=shape).astype(np.int64)
            else:
                inputs[p.name] = rng.normal(size=shape)
                if p.dtype == "float":
                    inputs[p.name] = inputs[p.name].astype(np.float32).astype(np.float64)
    return inputs


def make_examples(sig, expected, count=3, seed=0, fix=None, sizes=SIZES):
    """Examples whose outputs come from `expected(inputs) -> {name: value}` (Python loops)."""
    rng = np.random.default_rng(seed)
    examples = []
    for _ in range(count):
        inputs = random_inputs(sig, rng, sizes)
        if fix:
            fix(inputs, rng)
        outputs = {}
        for name, v in expected(dict(inputs)).items():
            dtype = np.int64 if sig.dtype_of(name) == "int" else np.float64
            outputs[name] = np.asarray(v, dtype=dtype) if np.ndim(v) else dtype(v).item()
        examples.append(Example(dict(sizes), inputs, outputs))
    return examples


def need_target(target):
    module = {"torch": "torch", "jax": "jax", "tensora": "tensora"}.get(target)
    if module:
        need(module)


# ---------------------------------------------------------------------- the kernels

CASES = {}


def case(name, program, sig, expected, fix=None, tensora=True, sizes=SIZES):
    CASES[name] = (program, sig, expected, fix, tensora, sizes)


# dot, returned: float dot(int n, float *a, float *b)
case("dot", prog(st(acc("dot"), mul(acc("a", "i"), acc("b", "i")))),
     Signature("dot", [dim("n"), arr("a", "float", "read", "n"), arr("b", "float", "read", "n")],
               returns="float"),
     lambda I: {"dot": sum(I["a"][i] * I["b"][i] for i in range(3))})

# gemv with the dimension scalars n, m accepted and ignored
case("gemv", prog(st(acc("y", "i"), mul(acc("A", "i", "j"), acc("x", "j")))),
     Signature("gemv", [dim("n"), dim("m"), arr("A", "double", "read", "n", "m"),
                        arr("x", "double", "read", "m"), arr("y", "double", "write", "n")]),
     lambda I: {"y": nd((3,), lambda i: sum(I["A"][i, j] * I["x"][j] for j in range(4)))})

# gemm with += and alpha: C(i,j) += alpha * A(i,k) * B(k,j)
case("gemm", prog(st(acc("C", "i", "j"), mul(acc("alpha"), acc("A", "i", "k"), acc("B", "k", "j")),
                     True)),
     Signature("gemm", [dim("n"), dim("m"), dim("k"), val("alpha", "float"),
                        arr("A", "float", "read", "n", "k"), arr("B", "float", "read", "k", "m"),
                        arr("C", "float", "readwrite", "n", "m")]),
     lambda I: {"C": nd((3, 4), lambda i, j: I["C"][i, j] + sum(
         I["alpha"] * I["A"][i, k] * I["B"][k, j] for k in range(5)))})

# transposed access: y(j) = A(i,j) * x(i)  and  B(i,j) = A(j,i)
case("transposed", prog(st(acc("y", "j"), mul(acc("A", "i", "j"), acc("x", "i"))),
                        st(acc("B", "i", "j"), acc("A", "j", "i"))),
     Signature("transposed", [dim("n"), dim("m"), arr("A", "double", "read", "n", "m"),
                              arr("x", "double", "read", "n"), arr("y", "double", "write", "m"),
                              arr("B", "double", "write", "m", "n")]),
     lambda I: {"y": nd((4,), lambda j: sum(I["A"][i, j] * I["x"][i] for i in range(3))),
                "B": nd((4, 3), lambda i, j: I["A"][j, i])})


def _fix_div(I, rng):
    I["a"][:3] = [-7, 7, -8]
    I["b"][:3] = [2, -2, 3]
    I["b"][I["b"] == 0] = 1


# integer division with negatives: c(i) = a(i) / b(i) + a(i) / 2   (-7/2 == -3)
case("intdiv", prog(st(acc("c", "i"), add(div(acc("a", "i"), acc("b", "i")),
                                          div(acc("a", "i"), Const(2))))),
     Signature("intdiv", [dim("n"), arr("a", "int", "read", "n"), arr("b", "int", "read", "n"),
                          arr("c", "int", "write", "n")]),
     lambda I: {"c": nd((3,), lambda i: c_div(int(I["a"][i]), int(I["b"][i]))
                        + c_div(int(I["a"][i]), 2))},
     fix=_fix_div, tensora=False)

# int dtype preserved: c(i) = a(i) * b(i) + 3 - a(i)
case("intops", prog(st(acc("c", "i"), sub(add(mul(acc("a", "i"), acc("b", "i")), Const(3)),
                                          acc("a", "i")))),
     Signature("intops", [dim("n"), arr("a", "int", "read", "n"), arr("b", "int", "read", "n"),
                          arr("c", "int", "write", "n")]),
     lambda I: {"c": nd((3,), lambda i: int(I["a"][i]) * int(I["b"][i]) + 3 - int(I["a"][i]))})

# a float value assigned to an int output truncates toward zero; int/float promotes
case("float2int", prog(st(acc("c", "i"), mul(acc("a", "i"), Const(0.5))),
                       st(acc("d", "i"), div(acc("a", "i"), Const(4.0)))),
     Signature("float2int", [dim("n"), arr("a", "int", "read", "n"), arr("c", "int", "write", "n"),
                             arr("d", "float", "write", "n")]),
     lambda I: {"c": nd((3,), lambda i: c_int(int(I["a"][i]) * 0.5)),
                "d": nd((3,), lambda i: int(I["a"][i]) / 4.0)},
     fix=lambda I, rng: I["a"].__setitem__(slice(0, 3), [-7, 7, -1]))

# readwrite in place: a(i) = a(i) * s
case("scale", prog(st(acc("a", "i"), mul(acc("a", "i"), acc("s")))),
     Signature("scale", [dim("n"), arr("a", "double", "readwrite", "n"), val("s", "double")]),
     lambda I: {"a": nd((3,), lambda i: I["a"][i] * I["s"])})

# two statements, the second reads the first; a temporary; a returned value and arrays
case("chain", prog(st(acc("t", "i"), mul(acc("A", "i", "j"), acc("x", "j"))),
                   st(acc("y", "i"), add(mul(acc("t", "i"), acc("t", "i")), acc("b", "i"))),
                   st(acc("chain"), mul(acc("y", "i"), Const(2)))),
     Signature("chain", [dim("n"), dim("m"), arr("A", "int", "read", "n", "m"),
                         arr("x", "int", "read", "m"), arr("b", "int", "read", "n"),
                         arr("y", "int", "write", "n")], returns="int"),
     lambda I: (lambda y: {"chain": 2 * sum(y), "y": y})(
         [sum(int(I["A"][i, j]) * int(I["x"][j]) for j in range(4)) ** 2 + int(I["b"][i])
          for i in range(3)]))

# diagonal: d(i) = A(i,i) + 1, trace returned
case("diag", prog(st(acc("d", "i"), add(acc("A", "i", "i"), Const(1))),
                  st(acc("diag"), acc("A", "i", "i"))),
     Signature("diag", [dim("n"), arr("A", "double", "read", "n", "n"),
                        arr("d", "double", "write", "n")], returns="double"),
     lambda I: {"diag": sum(I["A"][i, i] for i in range(3)),
                "d": nd((3,), lambda i: I["A"][i, i] + 1)})

# broadcast: B(i,j) = x(i) - 2, C(i,j) = 0, E(i,j) = x(j)
case("broadcast", prog(st(acc("B", "i", "j"), sub(acc("x", "i"), Const(2))),
                       st(acc("C", "i", "j"), Const(0)),
                       st(acc("E", "i", "j"), acc("x", "j"))),
     Signature("broadcast", [dim("n"), arr("x", "float", "read", "n"),
                             arr("B", "float", "write", "n", "m"),
                             arr("C", "int", "write", "n", "m"), arr("E", "float", "write", "n", "n")]),
     lambda I: {"B": nd((3, 4), lambda i, j: I["x"][i] - 2), "C": nd((3, 4), lambda i, j: 0),
                "E": nd((3, 3), lambda i, j: I["x"][j])})

# struct fields, TACO-generated style: out.vals(i) = a.vals(i) * 2 + a_vals(i)
case("struct", prog(st(acc("out.vals", "i"), add(mul(acc("a.vals", "i"), Const(2)),
                                                 acc("a_vals", "i")))),
     Signature("struct", [Param("a.dimensions[0]", "scalar", "int", role="dimension"),
                          arr("a.vals", "int", "read", "a.dimensions[0]"),
                          arr("a_vals", "int", "read", "a.dimensions[0]"),
                          arr("out.vals", "int", "write", "a.dimensions[0]")]),
     lambda I: {"out.vals": nd((3,), lambda i: 2 * int(I["a.vals"][i]) + int(I["a_vals"][i]))},
     sizes={"a.dimensions[0]": 3})

# TACO's reduction placement: a(i) = B(i,j) * c(j) + d(i) is (sum_j B c) + d, and
# a sum at the smallest subexpression: e(i) = B(i,j) + d(i) is sum_j B(i,j) + d(i)
case("placement", prog(st(acc("a", "i"), add(mul(acc("B", "i", "j"), acc("c", "j")), acc("d", "i"))),
                       st(acc("e", "i"), add(acc("B", "i", "j"), acc("d", "i"))),
                       st(acc("f", "i"), sub(mul(acc("B", "i", "j"), acc("c", "j")),
                                             mul(acc("B", "i", "j"), acc("c", "j"))))),
     Signature("placement", [dim("n"), dim("m"), arr("B", "double", "read", "n", "m"),
                             arr("c", "double", "read", "m"), arr("d", "double", "read", "n"),
                             arr("a", "double", "write", "n"), arr("e", "double", "write", "n"),
                             arr("f", "double", "write", "n")]),
     lambda I: {"a": nd((3,), lambda i: sum(I["B"][i, j] * I["c"][j] for j in range(4)) + I["d"][i]),
                "e": nd((3,), lambda i: sum(I["B"][i, j] for j in range(4)) + I["d"][i]),
                "f": nd((3,), lambda i: 0.0)})

# negation, nested sums, a 3-index contraction with a scalar
case("mixed", prog(st(acc("y", "i"), add(Neg(mul(acc("A", "i", "j"), acc("x", "j"))),
                                         mul(Const(-2), acc("s"), acc("T", "i", "j", "k"),
                                             acc("x", "j"), acc("z", "k"))))),
     Signature("mixed", [dim("n"), dim("m"), dim("k"), val("s", "int"),
                         arr("A", "int", "read", "n", "m"), arr("x", "int", "read", "m"),
                         arr("T", "int", "read", "n", "m", "k"), arr("z", "int", "read", "k"),
                         arr("y", "int", "write", "n")]),
     lambda I: {"y": nd((3,), lambda i: -sum(int(I["A"][i, j]) * int(I["x"][j]) for j in range(4))
                        + sum(-2 * I["s"] * int(I["T"][i, j, k]) * int(I["x"][j]) * int(I["z"][k])
                              for j in range(4) for k in range(5)))})

# element-wise functions (beyond plain TACO; tensora cannot express them)
case("functions", prog(st(acc("y", "i"), add(Call("max", (acc("a", "i"), Const(0))),
                                             Call("sqrt", (Call("abs", (acc("a", "i"),)),)))),
                       st(acc("z", "i"), Call("min", (acc("b", "i"), Call("exp", (acc("a", "i"),))))),
                       st(acc("w", "i"), Call("abs", (acc("b", "i"),)))),
     Signature("functions", [dim("n"), arr("a", "double", "read", "n"), arr("b", "int", "read", "n"),
                             arr("y", "double", "write", "n"), arr("z", "double", "write", "n"),
                             arr("w", "int", "write", "n")]),
     lambda I: {"y": nd((3,), lambda i: max(I["a"][i], 0) + abs(I["a"][i]) ** 0.5),
                "z": nd((3,), lambda i: min(int(I["b"][i]), float(np.exp(I["a"][i])))),
                "w": nd((3,), lambda i: abs(int(I["b"][i])))},
     tensora=False)

# += onto an int output with a float value: C converts the sum toward zero
case("accint", prog(st(acc("c", "i"), div(acc("a", "i"), Const(3.0)), True)),
     Signature("accint", [dim("n"), arr("a", "int", "read", "n"), arr("c", "int", "readwrite", "n")]),
     lambda I: {"c": nd((3,), lambda i: c_int(int(I["c"][i]) + int(I["a"][i]) / 3.0))})


# multi-letter index variables; `+=` onto a returned value with no value yet (starts at 0)
# and onto a temporary; a statement reading the returned value
case("accumulate", prog(st(acc("acc"), mul(acc("A", "row", "col"), acc("x", "col"), acc("y", "row")),
                           True),
                        st(acc("t", "row"), mul(acc("A", "row", "col"), acc("x", "col"))),
                        st(acc("t", "row"), Const(1.5), True),
                        st(acc("y", "row"), div(acc("t", "row"), Const(4.0))),
                        st(acc("acc"), mul(acc("acc"), Const(2)), True)),
     Signature("acc", [dim("n"), dim("m"), arr("A", "double", "read", "n", "m"),
                       arr("x", "double", "read", "m"), arr("y", "double", "readwrite", "n")],
               returns="double"),
     lambda I: (lambda f: {
         "acc": 3 * f,
         "y": [(sum(I["A"][r, c] * I["x"][c] for c in range(4)) + 1.5) / 4.0 for r in range(3)]})(
         sum(I["A"][r, c] * I["x"][c] * I["y"][r] for r in range(3) for c in range(4))))

# scalars only: the returned int is a / b + 7 with C division
case("scalars", prog(st(acc("scalars"), add(div(acc("a"), acc("b")), Const(7)))),
     Signature("scalars", [val("a", "int"), val("b", "int")], returns="int"),
     lambda I: {"scalars": c_div(I["a"], I["b"]) + 7},
     fix=lambda I, rng: I.update(a=-7, b=2) if rng.random() < 0.5 else None, tensora=False)


# ---------------------------------------------------------------------- running them

def _examples(name):
    program, sig, expected, fix, _, sizes = CASES[name]
    return program, sig, make_examples(sig, expected, fix=fix, sizes=sizes)


@pytest.mark.parametrize("target", PY_TARGETS)
@pytest.mark.parametrize("name", list(CASES))
def test_python_targets(name, target):
    need_target(target)
    program, sig, examples = _examples(name)
    if target == "tensora" and not CASES[name][4]:
        with pytest.raises(TensorliftError, match="tensora cannot express"):
            emit(target, program, sig)
        return
    source = emit_checked(target, program, sig, examples)
    assert f"def {function_name(sig)}(" in source
    for s in program.statements:
        assert f"# {s}" in source              # one comment per TACO statement
    out = run_emitted(target, source, sig, examples[0])
    assert list(out) == sig.outputs
    for k in sig.outputs:
        kind = np.asarray(out[k]).dtype.kind
        assert kind == ("i" if sig.dtype_of(k) == "int" else "f")


@pytest.mark.parametrize("name", list(CASES))
def test_taco_text(name):
    program, sig, examples = _examples(name)
    text = emit("taco", program, sig)
    body = [line for line in text.splitlines() if line and not line.startswith("#")]
    assert body == [str(s) for s in program.statements]
    assert parse_program(text) == program or name in ("mixed",)   # -2 reads back as Neg(Const(2))
    check_emitted("taco", text, sig, examples)


def test_taco_header_lists_tensors():
    program, sig, _ = _examples("gemm")
    text = emit("taco", program, sig)
    assert "#   A      float  read          [n, k]  dd" in text
    assert "#   alpha  float  value scalar" in text
    assert "not used by the program: n, m, k" in text


def test_int_division_truncates():
    program, sig, examples = _examples("intdiv")
    for target in ("numpy", "torch", "jax"):
        need_target(target)
        out = run_emitted(target, emit(target, program, sig), sig, examples[0])
        assert out["c"][0] == c_div(-7, 2) + c_div(-7, 2) == -6      # -7/2 == -3 in C
        assert out["c"][1] == c_div(7, -2) + c_div(7, 2) == 0
        assert out["c"][2] == c_div(-8, 3) + c_div(-8, 2) == -6
        assert out["c"].dtype == np.int32


def test_float_to_int_truncates():
    program, sig, examples = _examples("float2int")
    for target in PY_TARGETS:
        need_target(target)
        out = run_emitted(target, emit(target, program, sig), sig, examples[0])
        assert list(out["c"]) == [-3, 3, 0]
        assert out["c"].dtype == np.int32 and out["d"].dtype == np.float32


def test_output_types_follow_c():
    program, sig, examples = _examples("chain")
    out = run_emitted("numpy", emit("numpy", program, sig), sig, examples[0])
    assert isinstance(out["chain"], np.int32) and out["y"].dtype == np.int32
    program, sig, examples = _examples("gemv")
    assert run_emitted("numpy", emit("numpy", program, sig), sig, examples[0])["y"].dtype == np.float64


def test_returns_value_first_then_arrays_as_tuple():
    program, sig, examples = _examples("diag")
    ns = {}
    exec(emit("numpy", program, sig), ns)
    A = examples[0].inputs["A"]
    trace, d = ns["diag"](3, A, np.zeros(3))
    assert trace == pytest.approx(np.trace(A)) and d == pytest.approx(np.diag(A) + 1)


def test_readwrite_does_not_mutate_inputs():
    program, sig, examples = _examples("scale")
    for target in PY_TARGETS:
        need_target(target)
        ns = {}
        exec(emit(target, program, sig), ns)
        a = np.array([1.0, 2.0, 3.0])
        got = np.asarray(ns["scale"](3, a, 2.0))
        assert list(a) == [1.0, 2.0, 3.0] and list(got) == [2.0, 4.0, 6.0]


def test_torch_returns_tensors_and_accepts_numpy():
    torch = need("torch")
    program, sig, examples = _examples("gemm")
    ns = {}
    exec(emit("torch", program, sig), ns)
    I = examples[0].inputs
    C = ns["gemm"](3, 4, 5, I["alpha"], I["A"], I["B"], I["C"])
    assert isinstance(C, torch.Tensor) and C.dtype == torch.float32 and C.shape == (3, 4)


def test_numpy_code_is_readable():
    program, sig, _ = _examples("gemm")
    src = emit("numpy", program, sig)
    assert 'C = C + alpha * np.einsum("ik,kj->ij", A, B, optimize=True)' in src
    program, sig, _ = _examples("transposed")
    src = emit("numpy", program, sig)
    assert 'y = np.einsum("ij,i->j", A, x, optimize=True)' in src and "B = A.T" in src
    program, sig, _ = _examples("intdiv")
    src = emit("numpy", program, sig)
    assert "def _c_div(a, b):" in src and "c = _c_div(a, b) + _c_div(a, 2)" in src
    assert "_c_div" not in emit("numpy", *_examples("gemv")[:2])


def test_struct_names_are_sanitised_without_collisions():
    program, sig, _ = _examples("struct")
    src = emit("numpy", program, sig)
    assert "def struct(a_dimensions_0, a_vals, a_vals_2, out_vals=None):" in src   # an output only
    assert "out_vals = a_vals * 2 + a_vals_2" in src


def test_keyword_names():
    program = prog(st(acc("out"), mul(acc("in", "i"), acc("lambda", "i"), acc("np"))))
    sig = Signature("pass", [dim("n"), arr("in", "double", "read", "n"),
                             arr("lambda", "double", "read", "n"), val("np", "double"),
                             arr("out", "double", "write")])
    examples = make_examples(sig, lambda I: {"out": sum(I["in"] * I["lambda"]) * I["np"]})
    for target in PY_TARGETS:
        need_target(target)
        src = emit_checked(target, program, sig, examples)
        assert "def pass_(n, in_, lambda_, np_2, out=None):" in src


def test_check_emitted_raises_on_wrong_source():
    program, sig, examples = _examples("gemv")
    src = emit("numpy", program, sig)
    wrong = src.replace("y = np.einsum(", "y = 2 * np.einsum(")
    assert wrong != src
    with pytest.raises(TensorliftError, match=r"target numpy: output y differs .* example 0"):
        check_emitted("numpy", wrong, sig, examples)
    program, sig, examples = _examples("intops")
    src = emit("numpy", program, sig).replace("+ 3", "+ 4")
    with pytest.raises(TensorliftError, match="output c differs"):
        check_emitted("numpy", src, sig, examples)
    program, sig, examples = _examples("dot")
    src = emit("torch", program, sig).replace('"i,i->"', '"i,j->"')
    with pytest.raises(TensorliftError, match="output dot differs .* example 0"):
        check_emitted("torch", src, sig, examples)


def test_check_emitted_int_is_exact_float_has_tolerance():
    program, sig, examples = _examples("gemv")
    src = emit("numpy", program, sig)
    check_emitted("numpy", src.replace("return _to_c(y,", "return _to_c(y * (1 + 1e-12),"), sig, examples)
    with pytest.raises(TensorliftError):
        check_emitted("numpy", src.replace("return _to_c(y,", "return _to_c(y * (1 + 1e-6),"), sig, examples)
    # float32 results (C float) pass at the default tolerance for float
    program, sig, examples = _examples("dot")
    check_emitted("numpy", emit("numpy", program, sig), sig, examples)


def test_check_emitted_catches_wrong_dtype_and_mutation():
    program, sig, examples = _examples("intops")
    src = emit("numpy", program, sig).replace("_to_c(c, c_buffer, np.int32)", "_to_c(c, c_buffer, float)")
    with pytest.raises(TensorliftError, match="dtype float64 where C has an integer type"):
        check_emitted("numpy", src, sig, examples)
    program, sig, examples = _examples("scale")
    src = emit("numpy", program, sig).replace("    a = a * s", "    a *= s")
    src = re.sub(r"    a = _from_c\(a, .*\n", "", src)
    with pytest.raises(TensorliftError, match="modifies its argument a"):
        check_emitted("numpy", src, sig, examples)


def test_unknown_target():
    program, sig, examples = _examples("dot")
    with pytest.raises(TensorliftError, match="valid targets: taco, numpy, torch, jax, tensora"):
        emit("cuda", program, sig)
    with pytest.raises(TensorliftError, match="valid targets"):
        check_emitted("cuda", "", sig, examples)


def test_missing_library(monkeypatch):
    program, sig, _ = _examples("dot")
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a: None if name == "torch" else real(name, *a))
    with pytest.raises(TensorliftError,
                       match=r"target torch needs PyTorch: pip install 'tensorlift\[torch\]'"):
        emit("torch", program, sig)


def test_program_errors():
    sig = Signature("f", [dim("n"), arr("a", "double", "read", "n"), arr("y", "double", "write", "n")])
    with pytest.raises(TensorliftError, match="q is an unknown tensor"):
        emit("numpy", prog(st(acc("y", "i"), acc("q", "i"))), sig)
    with pytest.raises(TensorliftError, match="has 2 indices but a has order 1"):
        emit("numpy", prog(st(acc("y", "i"), acc("a", "i", "j"))), sig)
    with pytest.raises(TensorliftError, match="never assigns the output y"):
        emit("numpy", prog(st(acc("t", "i"), acc("a", "i"))), sig)
    with pytest.raises(TensorliftError, match="t is read before it is assigned"):
        emit("numpy", prog(st(acc("y", "i"), acc("t", "i")), st(acc("t", "i"), acc("a", "i"))), sig)
    with pytest.raises(TensorliftError, match="diagonal"):
        emit("numpy", prog(st(acc("y", "i"), acc("a", "i")), st(acc("t", "i", "i"), acc("a", "i"))),
             sig)
    with pytest.raises(TensorliftError, match="extent of j is unknown"):
        emit("numpy", prog(st(acc("t", "i", "j"), acc("a", "i")), st(acc("y", "i"), acc("a", "i"))),
             sig)


def test_tensora_rewrites():
    need("tensora")
    program, sig, _ = _examples("diag")
    src = emit("tensora", program, sig)
    assert '_t = _evaluate("t(i) = A(i,j) * delta(i,j)", 1, ' in src
    assert '"d(i) = t(i) + 1"' in src and '"diag() = A(i,j) * delta(i,j)"' in src
    program, sig, _ = _examples("scale")
    assert '"a(i) = aold(i) * s()"' in emit("tensora", program, sig)
    program, sig, _ = _examples("gemm")
    assert '"C(i,j) = Cold(i,j) + alpha() * A(i,k) * B(k,j)"' in emit("tensora", program, sig)
    program, sig, _ = _examples("broadcast")
    src = emit("tensora", program, sig)
    assert '"B(i,j) = (x(i) - 2) * ones(j)"' in src and '"C(i,j) = 0 * ones(i,j)"' in src
    program, sig, _ = _examples("struct")
    assert '"outvals(i) = avals(i) * 2 + avals2(i)"' in emit("tensora", program, sig)


def test_tensora_splits_sums_it_cannot_nest():
    need("tensora")
    # a sum placed at `+` is computed element-wise, then summed in a second call
    program, sig, _ = _examples("mixed")
    src = emit("tensora", program, sig)
    assert '"t(i,j) = (0 - 2) * s() * T(i,j,k) * x(j) * z(k)"' in src
    assert '"t2(i,j) = (0 - A(i,j) * x(j)) + t(i,j)"' in src and '"y(i) = t2(i,j)"' in src
    # a sum inside a sum inside a product goes first into a temporary
    sig = Signature("nest", [dim("n"), dim("m"), val("s", "double"),
                             arr("A", "double", "read", "n", "m"), arr("b", "double", "read", "n"),
                             arr("y", "double", "write", "n")])
    program = prog(st(acc("y", "i"), mul(acc("s"), add(acc("A", "i", "j"), acc("b", "i")))))
    examples = make_examples(sig, lambda I: {"y": nd((3,), lambda i: I["s"] * (
        sum(I["A"][i, j] for j in range(4)) + I["b"][i]))})
    src = emit_checked("tensora", program, sig, examples)
    assert '"t(i) = A(i,j)"' in src and '"y(i) = s() * (t(i) + b(i))"' in src


def test_terms_without_the_summed_variable_count_once_per_value():
    # y(k) = x(i)*c(k) + (c(k) + x(i)): i is summed over the whole sum, so c(k) counts n times
    sig = Signature("rep", [dim("n"), arr("x", "double", "read", "n"),
                            arr("c", "double", "read", "n"), arr("y", "double", "write", "n")])
    program = prog(st(acc("y", "k"), add(mul(acc("x", "i"), acc("c", "k")),
                                         add(acc("c", "k"), acc("x", "i")))))
    examples = make_examples(sig, lambda I: {"y": nd((3,), lambda k: sum(
        I["x"][i] * I["c"][k] + I["c"][k] + I["x"][i] for i in range(3)))})
    for target in PY_TARGETS:
        need_target(target)
        emit_checked(target, program, sig, examples)


@pytest.mark.parametrize("name", list(CASES))
def test_agrees_with_the_evaluator(name):
    """The NumPy back end and tensorlift.taco.evaluate give the same outputs."""
    from tensorlift.taco import evaluate
    program, sig, examples = _examples(name)
    dtypes = {p.name: p.dtype for p in sig.params}
    if sig.returns:
        dtypes[sig.function] = sig.returns
    source = emit("numpy", program, sig)
    for ex in examples:
        want = evaluate.evaluate(program, ex.inputs, dtypes)
        got = run_emitted("numpy", source, sig, ex)
        for k in sig.outputs:
            np.testing.assert_allclose(np.asarray(got[k], dtype=np.float64),      # float code in float32
                                       np.asarray(want[k], dtype=np.float64), rtol=carith.tolerance(dtypes.values()))


@pytest.mark.parametrize("name", list(CASES))
def test_taco_statements_read_by_taco_parse(name):
    """The statement lines of the taco target are read back by the project's parser."""
    from tensorlift.taco import parse as taco_parse
    program, sig, examples = _examples(name)
    text = emit("taco", program, sig)
    body = "\n".join(line for line in text.splitlines() if not line.startswith("#"))
    emit_checked("numpy", taco_parse.parse_program(body), sig, examples)
