"""Proofs for every size: loops in closed form (verify/symexec.py), reductions in one form
(verify/folds.py), the program over symbolic sizes (verify/spec.py). In-process and fast.

Each kernel here is written in a style of real DSP/BLAS/ML code; each bug shows only from some
size on (an unrolled lane, a second block), so that a bounded proof at small sizes misses it."""
import time

import pytest
import z3

from tensorlift.c.analysis import analyze
from tensorlift.taco.parse import parse_program
from tensorlift.verify.folds import Folds
from tensorlift.verify.induction import Induction


def prove(tmp_path, source: str, program: str, name: str = "k.c"):
    """The all-sizes proof of a program against C source, or None (and why)."""
    path = tmp_path / name
    path.write_text(source)
    ind = Induction(analyze(path), "reals")
    got = ind.prove(parse_program(program), None, time.monotonic() + 60)
    return got, ind.reason or getattr(ind, "last", None)


def unrolled_dot(lanes: int, bug_lane=None) -> str:
    terms = " + ".join(f"{'-' if l == bug_lane else ''}x[i + {l}] * y[i + {l}]" for l in range(lanes))
    return f"""
float dot{lanes}(int n, const float *x, const float *y) {{
    float s = 0.0f;
    int i = 0;
    for (; i + {lanes} <= n; i += {lanes})
        s += {terms};
    for (; i < n; i++)
        s += x[i] * y[i];
    return s;
}}"""


@pytest.mark.parametrize("lanes", [4, 8, 16])
def test_unrolled_dot_is_proved_for_every_size(tmp_path, lanes):
    got, why = prove(tmp_path, unrolled_dot(lanes), f"dot{lanes} = x(i) * y(i)")
    assert got is not None and got.scope == "all-sizes" and got.bound is None, why


@pytest.mark.parametrize("lanes", [4, 8, 16])
def test_a_wrong_lane_is_never_proved(tmp_path, lanes):
    got, _ = prove(tmp_path, unrolled_dot(lanes, bug_lane=lanes - 1), f"dot{lanes} = x(i) * y(i)")
    assert got is None


BLOCKS = """
void vscale(const float *pSrc, float scale, float *pDst, unsigned int blockSize) {
    unsigned int blkCnt = blockSize >> 2U;
    unsigned int block = 0;
    while (blkCnt > 0U) {
        *pDst++ = *pSrc++ * scale;
        *pDst++ = *pSrc++ * scale;
        *pDst++ = (block == BAD) ? *pSrc++ * -scale : *pSrc++ * scale;
        *pDst++ = *pSrc++ * scale;
        blkCnt--;
        block++;
    }
    blkCnt = blockSize % 4U;
    while (blkCnt > 0U) {
        *pDst++ = *pSrc++ * scale;
        blkCnt--;
    }
}"""


def test_pointer_walk_unrolled_by_four_with_its_tail(tmp_path):
    got, why = prove(tmp_path, BLOCKS.replace("BAD", "0xffffffffU"), "pDst(i) = pSrc(i) * scale")
    assert got is not None and got.scope == "all-sizes", why


def test_a_bug_in_the_second_block_only_is_not_proved(tmp_path):
    got, _ = prove(tmp_path, BLOCKS.replace("BAD", "1"), "pDst(i) = pSrc(i) * scale")
    assert got is None


def test_shift_and_mask_tails(tmp_path):
    source = """
void vadd(int n, const int *a, const int *b, int *c) {
    int body = n >> 3 << 3;
    int i;
    for (i = 0; i < body; i += 8) {
        c[i] = a[i] + b[i]; c[i+1] = a[i+1] + b[i+1]; c[i+2] = a[i+2] + b[i+2]; c[i+3] = a[i+3] + b[i+3];
        c[i+4] = a[i+4] + b[i+4]; c[i+5] = a[i+5] + b[i+5]; c[i+6] = a[i+6] + b[i+6]; c[i+7] = a[i+7] + b[i+7];
    }
    for (int t = n & 7; t > 0; t--, i++)
        c[i] = a[i] + b[i];
}"""
    got, why = prove(tmp_path, source, "c(i) = a(i) + b(i)")
    assert got is not None and got.scope == "all-sizes", why
    got, _ = prove(tmp_path, source, "c(i) = a(i) - b(i)")
    assert got is None


def test_loop_nests_triangles_and_reversed_walks(tmp_path):
    gemm = """
void gemm(int M, int N, int K, float alpha, float beta, const float *A, int lda,
          const float *B, int ldb, float *C, int ldc) {
    for (int i = 0; i < M; i++)
        for (int j = 0; j < N; j++) {
            C[i*ldc + j] *= beta;
            for (int k = 0; k < K; k++)
                C[i*ldc + j] += alpha * A[i*lda + k] * B[k*ldb + j];
        }
}"""
    got, why = prove(tmp_path, gemm, "C(i,j) = C(i,j) * beta + alpha * A(i,k) * B(k,j)")
    assert got is not None, why
    got, _ = prove(tmp_path, gemm, "C(i,j) = C(i,j) * beta + alpha * A(i,k) * B(j,k)")
    assert got is None
    lower = """
void lower(int n, const double *A, double *L) {
    for (int i = 0; i < n; i++)
        for (int j = 0; j <= i; j++)
            L[i*n + j] = 2.0 * A[i*n + j];
}"""
    got, why = prove(tmp_path, lower, "L(i,j) = 2.0 * A(i,j) for j <= i")
    assert got is not None, why
    got, _ = prove(tmp_path, lower, "L(i,j) = 2.0 * A(i,j) for j < i")
    assert got is None
    backwards = """
int corr(const int *x, const int *h, int n) {
    const int *p = &x[n - 1];
    int y = 0;
    while (n-- > 0)
        y += *h++ * *p--;
    return y;
}"""
    got, why = prove(tmp_path, backwards, "corr = h(i) * x(n-1-i)")
    assert got is not None, why
    got, _ = prove(tmp_path, backwards, "corr = h(i) * x(i)")
    assert got is None


def test_a_bound_computed_in_signed_int_overflows_nowhere_the_c_is_defined(tmp_path):
    """`n + 1` as a loop bound (astropy's BLS fills its n_bins + 1 bins so): signed overflow
    is undefined, so the counter stays in range wherever the C is defined."""
    fill = """
void clear_bins(int n_bins, double *mean_y, double *mean_ivar) {
    for (int n = 0; n < n_bins + 1; ++n) {
        mean_y[n] = 0.0;
        mean_ivar[n] = 0.0;
    }
}"""
    got, why = prove(tmp_path, fill, "mean_y(i) = 0.0; mean_ivar(i) = 0.0")
    assert got is not None and got.scope == "all-sizes", why
    got, _ = prove(tmp_path, fill, "mean_y(i) = where(i < n_bins, 0.0, 1.0); mean_ivar(i) = 0.0")
    assert got is None
    # a bound that overflows at every size leaves the C undefined everywhere: no proof
    always = """
void never(int n, double *y) {
    for (int i = 0; i < n + 2147483647; ++i) y[i] = 0.0;
}"""
    got, why = prove(tmp_path, always, "y(i) = 0.0")
    assert got is None


def test_reductions_by_max_from_the_first_element_and_a_softmax(tmp_path):
    source = """
#include <math.h>
void softmax(double *x, int n) {
    double m = x[0];
    for (int i = 1; i < n; i++)
        if (x[i] > m) m = x[i];
    double s = 0.0;
    for (int i = 0; i < n; i++) {
        x[i] = exp(x[i] - m);
        s += x[i];
    }
    for (int i = 0; i < n; i++)
        x[i] /= s;
}"""
    right = "x(i) = exp(x(i) - max(j, x(j))) / sum(k, exp(x(k) - max(j, x(j))))"
    got, why = prove(tmp_path, source, right)
    assert got is not None, why
    got, _ = prove(tmp_path, source, "x(i) = exp(x(i) - max(j, x(j))) / sum(k, exp(x(k)))")
    assert got is None


def test_what_it_does_not_follow_is_left_to_the_bounded_proof(tmp_path):
    # x = x*x + a[i] has no closed form: the prover says nothing rather than guess
    source = "int f(int n, const int *a) { int x = 0; for (int i = 0; i < n; i++) x = x * x + a[i]; return x; }"
    got, why = prove(tmp_path, source, "f = a(i)")
    assert got is None and why


def test_folds_meet_in_one_form():
    folds = Folds()
    k, n, q = z3.Ints("k n q")
    x = z3.Function("x", z3.IntSort(), z3.RealSort())
    y = z3.Function("y", z3.IntSort(), z3.RealSort())
    whole = folds.fold("sum", k, 0, n, x(k) * y(k))
    # a loop from 1 sums the same body from 1: one function, another range
    shifted = folds.fold("sum", k, 0, n - 1, x(k + 1) * y(k + 1))
    assert shifted.decl().eq(whole.decl())
    # four lanes of a loop unrolled by four are the same sum over 4q elements
    lanes = sum((x(4 * k + l) * y(4 * k + l) for l in range(1, 4)), x(4 * k) * y(4 * k))
    rolled = folds.fold("sum", k, 0, q, lanes)
    assert rolled.decl().eq(whole.decl())
    # a constant factor moves out; the rest is the same reduction
    scaled = folds.fold("sum", k, 0, n, 2 * x(k) * y(k))
    assert z3.simplify(scaled - 2 * whole).eq(z3.RealVal(0)) or z3.is_mul(scaled)
    # split ranges meet in the solver through the axioms
    s = z3.Solver()
    parts = folds.fold("sum", k, 0, 4 * q, x(k) * y(k)) + folds.fold("sum", k, 4 * q, n, x(k) * y(k))
    s.add(0 <= 4 * q, 4 * q <= n, *folds.axioms([parts, whole]), parts != whole)
    assert s.check() == z3.unsat
