"""Emitted code as a caller of the C would use it: outputs only may be left out, buffers as
long as the C accepts are accepted, the precision is the C's (float32 for `float` code, JAX's
64-bit mode only where the C computes in 64 bits), the docstring names the parameters, and a
target's library is imported only when that target is asked for."""
from __future__ import annotations

import inspect
import json
import subprocess
import sys

import numpy as np
import pytest
from helpers import ROOT, need

import tensorlift
from tensorlift.backends import emit_result

STENCIL = """
void smooth(int n, const float *a, float *b) {
  for (int i = 1; i < n - 1; i++)
    b[i] = (a[i - 1] + a[i] + a[i + 1]) / 3.0f;
}
"""

GEMM = """
void gemm_nn(int M, int N, int K, float ALPHA, float *A, int lda, float *B, int ldb, float *C, int ldc) {
  for (int i = 0; i < M; ++i)
    for (int k = 0; k < K; ++k) {
      register float A_PART = ALPHA * A[i * lda + k];
      for (int j = 0; j < N; ++j)
        C[i * ldc + j] += A_PART * B[k * ldb + j];
    }
}
"""

DAXPY = """
void daxpy(int n, double a, const double *x, double *y) {
  for (int i = 0; i < n; i++) y[i] += a * x[i];
}
"""

COPY = """
void copy(int N, const float *X, int INCX, float *Y, int INCY) {
  for (int i = 0; i < N; ++i) Y[i * INCY] = X[i * INCX];
}
"""

STRUCT = """
typedef struct { int rows; int cols; float *vals; } mat;
void addm(mat *d, const mat *a, const mat *b) {
  for (int i = 0; i < d->rows * d->cols; i++) d->vals[i] = a->vals[i] + b->vals[i];
}
"""

INNER = """
void inner(int n, int m, const float *a, float *b) {
  for (int i = 0; i < n; i++)
    for (int j = 1; j < m - 1; j++)
      b[i * m + j] = a[i * m + j] * 2.0f;
}
"""

IADD = """
void iadd(int n, const int *a, const int *b, int *c) {
  for (int i = 0; i < n; i++) c[i] = a[i] + b[i] / 2;
}
"""


def _lifted(source: str):
    res = tensorlift.lift(source, timeout=60)
    assert res.status == "lifted", res.why_not_lifted or res.error
    return res


def _function(res, target: str = "numpy"):
    ns: dict = {}
    exec(compile(emit_result(target, res), f"<{target}>", "exec"), ns)
    return ns[res.analysis.signature.function]


@pytest.fixture(scope="module")
def stencil():
    return _lifted(STENCIL)


def test_a_callers_longer_buffer_is_accepted_and_comes_back_whole(stencil):
    smooth = _function(stencil)
    n = 13
    a = np.arange(n, dtype=np.float32) ** 2
    b = np.full(n, -7.0, dtype=np.float32)       # a C caller's b has n elements; the C writes 1..n-2
    got = smooth(n, a, b)
    want = b.copy()
    want[1:-1] = (a[:-2] + a[1:-1] + a[2:]) / np.float32(3)
    assert got.shape == (n,) and got.dtype == np.float32
    np.testing.assert_allclose(got, want, rtol=1e-6)
    assert (b == -7.0).all()                      # the argument is not modified
    # the region the C touches, given as such, comes back as such
    assert smooth(n, a, b[:n - 1]).shape == (n - 1,)
    with pytest.raises(ValueError, match="b has 5 elements; the C reads 12"):
        smooth(n, a, b[:5])
    doc = smooth.__doc__
    assert "b: float32[n-1], read and updated" in doc and "may be longer" in doc


@pytest.mark.parametrize("target", ["torch", "jax"])
def test_longer_buffers_in_torch_and_jax(stencil, target):
    need(target)
    smooth = _function(stencil, target)
    n = 9
    a = np.linspace(-1, 1, n).astype(np.float32)
    b = np.full(n, 5.0, dtype=np.float32)
    got = np.asarray(smooth(n, a, b))
    want = b.copy()
    want[1:-1] = (a[:-2] + a[1:-1] + a[2:]) / np.float32(3)
    assert got.shape == (n,) and got.dtype == np.float32
    np.testing.assert_allclose(got, want, rtol=1e-6)


@pytest.mark.parametrize("target", ["numpy", "torch", "jax"])
def test_rows_apart_in_the_c_buffer_are_read_and_written_in_place(target):
    """The kernel touches columns 1..m-2 of rows m long: its arrays are [n, m-1] with rows m
    apart. The C's flat buffer, or the n x m array it holds, must give what the C gives."""
    if target != "numpy":
        need(target)
    res = _lifted(INNER)
    assert res.analysis.signature.param("b").strides == ["m", "1"]
    inner = _function(res, target)
    n, m = 3, 5
    a = np.arange(n * m, dtype=np.float32) - 4
    b = np.full(n * m, -1.0, dtype=np.float32)
    want = b.reshape(n, m).copy()
    want[:, 1:m - 1] = a.reshape(n, m)[:, 1:m - 1] * 2
    np.testing.assert_array_equal(np.asarray(inner(n, m, a, b)), want.reshape(-1))
    np.testing.assert_array_equal(np.asarray(inner(n, m, a.reshape(n, m), b.reshape(n, m))), want)
    assert "(strides m, 1 in the C's buffer)" in inner.__doc__


def test_outputs_only_default_to_none():
    copy = _function(_lifted(COPY))
    params = inspect.signature(copy).parameters
    assert params["Y"].default is None and params["INCY"].default is None    # INCY: a stride, ignored
    assert params["X"].default is inspect.Parameter.empty
    x = np.array([1.5, -2.0, 3.25], dtype=np.float32)
    np.testing.assert_array_equal(copy(3, x, 1), x)


def test_an_output_before_inputs_stays_positional_and_docstring_names_match():
    res = _lifted(STRUCT)
    addm = _function(res)
    params = list(inspect.signature(addm).parameters)
    assert params == ["d_rows", "d_cols", "d_vals", "a_vals", "b_vals"]
    doc = addm.__doc__
    notation, rest = doc.split("Parameters", 1)
    assert "d_vals (the C's d.vals): float32[d_rows*d_cols], output only: may be None" in rest
    assert "float32[d.rows" not in rest and "d_vals (float32[d_rows*d_cols], write)" in rest
    out = addm(2, 3, None, np.ones(6, np.float32), np.arange(6, dtype=np.float32))
    np.testing.assert_array_equal(out, np.arange(6) + 1)


def test_float_code_computes_in_float32():
    res = _lifted(GEMM)
    src = emit_result("numpy", res)
    assert "float64" not in src and "np.float32" in src
    gemm = _function(res)
    rng = np.random.default_rng(1)
    A, B, C = (rng.standard_normal(s).astype(np.float32) for s in ((4, 5), (5, 3), (4, 3)))
    got = gemm(4, 3, 5, np.float32(0.5), A, 5, B, 3, C, 3)
    assert got.dtype == np.float32
    np.testing.assert_allclose(got, C + 0.5 * A @ B, rtol=1e-5)


def test_double_code_computes_in_float64_and_int_code_in_32_bits():
    assert "np.float64" in emit_result("numpy", _lifted(DAXPY))
    src = emit_result("numpy", _lifted(IADD))
    assert "np.int32" in src and "int64" not in src


@pytest.mark.slow
def test_jax_turns_on_64_bits_only_for_code_that_needs_them():
    need("jax")
    float_src = emit_result("jax", _lifted(GEMM))
    int_src = emit_result("jax", _lifted(IADD))
    double_src = emit_result("jax", _lifted(DAXPY))
    assert "jax_enable_x64" not in float_src and "jax_enable_x64" not in int_src
    assert 'jax.config.update("jax_enable_x64", True)' in double_src
    script = ("import sys, json, jax\nns = {}\nexec(sys.stdin.read(), ns)\n"
              "print(json.dumps(jax.config.jax_enable_x64))")
    for src, x64 in ((float_src, False), (int_src, False), (double_src, True)):
        proc = subprocess.run([sys.executable, "-c", script], input=src, capture_output=True, text=True,
                              timeout=120)
        assert proc.returncode == 0, proc.stderr[-2000:]
        assert json.loads(proc.stdout.splitlines()[-1]) is x64


@pytest.mark.slow
@pytest.mark.parametrize("target, loaded", [("numpy", []), ("taco", []), ("torch", ["torch"]), ("jax", ["jax"])])
def test_only_the_asked_targets_library_is_imported(target, loaded):
    need(loaded[0]) if loaded else None
    script = ("import sys\nfrom tensorlift.cli import main\n"
              f"code = main(['lift', 'corpus/blas/dot.c', '--target', '{target}'])\n"
              "print(sorted(m for m in ('torch', 'jax', 'tensora', 'openai', 'ray') if m in sys.modules), code)")
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout.splitlines()[-1] == f"{loaded} 0"
