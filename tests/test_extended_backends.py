"""The back ends on the notation beyond plain TACO: the array targets run each program
vectorised and agree with the evaluator and the C; taco and tensora refuse what they cannot
say, naming the construct."""
from __future__ import annotations

import re
import warnings

import numpy as np
import pytest
from extended_kernels import EXTENDED, KERNELS, analyzed, assert_vectorised
from helpers import need

from tensorlift import carith
from tensorlift.backends import check_emitted, emit, emit_checked, function_name, run_emitted
from tensorlift.errors import TensorliftError
from tensorlift.signature import Example, Param, Signature
from tensorlift.synth.check import dtypes_of, example_env
from tensorlift.taco.evaluate import evaluate
from tensorlift.taco.parse import parse_program

ARRAY_TARGETS = ("numpy", "torch", "jax")


def _evaluated(program, sig, ex):
    env = example_env(ex, sig)
    return evaluate(program, env, dtypes_of(sig))




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
