"""Bounds the code justifies (issue 17, point 2): unrolled bodies, `n >> 2` block counts,
`n & ~7`, `% 4` tails and counters compared with constants make the bounded proof and the
examples reach two full blocks and every remainder, so a bug in the eighth lane or the
second block is never "proved". Kernels written in BLAS, DSP and ML library styles."""
import pytest
from helpers import cli_main, cli_main_json, write_kernel

from tensorlift.budget import Budget
from tensorlift.c.analysis import analyze
from tensorlift.c.examples import example_sizes
from tensorlift.c.frontend import load_kernel
from tensorlift.c.reach import loop_reach
from tensorlift.c.roles import analyse_flows, scalar_roles
from tensorlift.c.slots import flatten
from tensorlift.pipeline import prepare
from tensorlift.taco.parse import parse_program
from tensorlift.verify.prove import Verifier


def reach(tmp_path, text):
    k = load_kernel(write_kernel(tmp_path, text))
    slots = flatten(k)
    roles = scalar_roles(slots, analyse_flows(k, slots))
    return {d: (r.size, r.block) for d, r in loop_reach(k, [n for n, v in roles.items() if v == "dimension"]).items()}


def dot_unrolled_by_8(lane7="x[i+7]*y[i+7]"):
    return f"""
        float sdot8(const float *x, const float *y, int n) {{
            float s = 0.0f;
            int i = 0;
            for (; i + 8 <= n; i += 8)
                s += x[i]*y[i] + x[i+1]*y[i+1] + x[i+2]*y[i+2] + x[i+3]*y[i+3]
                   + x[i+4]*y[i+4] + x[i+5]*y[i+5] + x[i+6]*y[i+6] + {lane7};
            for (; i < n; i++) s += x[i]*y[i];
            return s;
        }}"""


def scale_pointer_walk(second_block_bug=False):
    """arm_scale_f32's shape: a block count by shifting, four stores a block, a remainder."""
    bug = "+ 1.0f" if second_block_bug else ""
    return f"""
        #include <stdint.h>
        void scale_f32(const float *pSrc, float scale, float *pDst, uint32_t blockSize) {{
            uint32_t blkCnt = blockSize >> 2U;
            uint32_t k = 0;
            while (blkCnt > 0U) {{
                *pDst++ = *pSrc++ * scale;
                *pDst++ = (k == 1U) ? *pSrc++ * scale {bug} : *pSrc++ * scale;
                *pDst++ = *pSrc++ * scale;
                *pDst++ = *pSrc++ * scale;
                k++;
                blkCnt--;
            }}
            blkCnt = blockSize % 4U;
            while (blkCnt > 0U) {{
                *pDst++ = *pSrc++ * scale;
                blkCnt--;
            }}
        }}"""


def axpy_unrolled_by_16(bad_lane=None):
    """A saxpy whose main loop runs to `(n >> 4) << 4`, sixteen lanes a block."""
    lanes = "\n".join(f"                y[i+{k}] += a * x[i+{k if k != bad_lane else k - 1}];" for k in range(16))
    return f"""
        void saxpy16(int n, float a, const float *x, float *y) {{
            int i;
            int m = (n >> 4) << 4;
            for (i = 0; i < m; i += 16) {{
{lanes}
            }}
            for (; i < n; i++) y[i] += a * x[i];
        }}"""


def daxpy_reference(lane3="dy[i+3] + da*dx[i+3]"):
    """Reference BLAS daxpy: the `n % 4` elements first, then blocks of four."""
    return f"""
        void daxpy(int n, double da, const double *dx, double *dy) {{
            int i, m = n % 4;
            for (i = 0; i < m; i++) dy[i] = dy[i] + da*dx[i];
            for (i = m; i < n; i += 4) {{
                dy[i] = dy[i] + da*dx[i];
                dy[i+1] = dy[i+1] + da*dx[i+1];
                dy[i+2] = dy[i+2] + da*dx[i+2];
                dy[i+3] = {lane3};
            }}
        }}"""


GEMV_UNROLLED_INNER = """
        void gemv4(int m, int n, const float *A, const float *x, float *y) {
            for (int r = 0; r < m; r++) {
                float s = 0; int j = 0;
                for (; j + 4 <= n; j += 4)
                    s += A[r*n+j]*x[j] + A[r*n+j+1]*x[j+1] + A[r*n+j+2]*x[j+2] + A[r*n+j+3]*x[j+3];
                for (; j < n; j++) s += A[r*n+j]*x[j];
                y[r] = s;
            }
        }"""


def test_structure_constants_set_each_dimensions_reach(tmp_path):
    assert reach(tmp_path, dot_unrolled_by_8()) == {"n": (23, 8)}
    assert reach(tmp_path, scale_pointer_walk()) == {"blockSize": (15, 4)}    # counter k == 1: a third block
    assert reach(tmp_path, axpy_unrolled_by_16()) == {"n": (47, 16)}
    assert reach(tmp_path, daxpy_reference()) == {"n": (11, 4)}
    assert reach(tmp_path, """
        void relu4(int n, const float *x, float *y) {
            int i, m = n & ~3;
            for (i = 0; i < m; i += 4) { y[i] = x[i] > 0 ? x[i] : 0; y[i+1] = x[i+1] > 0 ? x[i+1] : 0;
                                          y[i+2] = x[i+2] > 0 ? x[i+2] : 0; y[i+3] = x[i+3] > 0 ? x[i+3] : 0; }
            for (; i < n; i++) y[i] = x[i] > 0 ? x[i] : 0;
        }""") == {"n": (11, 4)}


def test_values_ask_for_nothing_and_thresholds_are_capped(tmp_path):
    # `>> 2` and `/ 255` on data are arithmetic, not blocks
    assert reach(tmp_path, """
        void shade(int n, const int *x, int *y) {
            for (int i = 0; i < n; i++) { int v = x[i] * 3; y[i] = (v >> 2) + v / 255; }
        }""") == {}
    # a check of a size against a constant is passed; a large one only as far as the cap
    assert reach(tmp_path, """
        int tail16(int n, const int *x, int *y) {
            if (n < 16) return -1;
            for (int i = 0; i < n; i++) y[i] = x[i];
            return 0;
        }""") == {"n": (18, 1)}
    assert reach(tmp_path, """
        void big(int n, const int *x, int *y) {
            if (n > 1024) return;
            for (int i = 0; i < n; i++) y[i] = x[i];
        }""") == {"n": (64, 1)}
    # one dimension unrolled, the other not: only the unrolled one goes far
    assert reach(tmp_path, GEMV_UNROLLED_INNER) == {"n": (11, 4)}


THIRD_BLOCK_BUG = """
    void scale16(int n, float a, const float *x, float *y) {
        int i = 0;
        for (; i + 16 <= n; i += 16) {
            for (int l = 0; l < 16; l++)
                y[i + l] = a * x[i + l];
            if (i >= 32) y[i + 13] = a * x[i + 12];      /* wrong from the third block on */
        }
        for (; i < n; i++) y[i] = a * x[i];
    }"""


def test_a_counter_moved_in_the_loop_step_asks_past_its_threshold(tmp_path):
    """`i += 16` in the loop's step moves i: `i >= 32` asks for the third block and on, in the
    proof and in an example, not only for two blocks and the remainders (47)."""
    assert reach(tmp_path, THIRD_BLOCK_BUG) == {"n": (64, 16)}
    analysis = analyze(tmp_path / "kernel.c")
    assert max(s["n"] for s in example_sizes(analysis, 6)) == 64
    got = Verifier(analysis, 3).prove_bounded(parse_program("y(i) = a * x(i)"))
    assert got.verdict == "refuted" and got.counterexample["sizes"]["n"] == 48


@pytest.mark.slow
@pytest.mark.parametrize("text, bad, n", [
    (dot_unrolled_by_8("x[i+7]*y[i+6]"), "sdot8 = x(i) * y(i)", 8),
    (scale_pointer_walk(second_block_bug=True), "pDst(i) = scale * pSrc(i)", 8),
    (axpy_unrolled_by_16(bad_lane=15), "y(i) = y(i) + a * x(i)", 16),
    (daxpy_reference("dy[i+3] - da*dx[i+3]"), "dy(i) = dy(i) + da * dx(i)", 4),
], ids=["dot8-lane7", "scale-second-block", "axpy16-lane15", "daxpy-lane3"])
def test_a_bug_past_small_sizes_is_refuted(tmp_path, text, bad, n, capfd):
    """The program that is right up to the old bound 3 is refuted, at the first size that
    runs the wrong lane or block."""
    proc, out = cli_main_json(capfd, "verify", write_kernel(tmp_path, text), bad)
    assert proc.returncode == 1 and out["verdict"] == "refuted", (proc.stderr, out)
    assert max(out["counterexample"]["sizes"].values()) == n


@pytest.mark.slow
def test_a_bug_past_small_sizes_is_never_lifted(tmp_path, capfd):
    proc, out = cli_main_json(capfd, "lift", write_kernel(tmp_path, dot_unrolled_by_8("x[i+7]*y[i+6]")), "--timeout", "8")
    assert proc.returncode == 1 and out["status"] == "failed" and out["verification"] != "proved"
    assert out["refuted"] >= 1 or "candidates" in out["searched"]


@pytest.mark.slow
@pytest.mark.parametrize("text, program, bounds", [
    (dot_unrolled_by_8(), "sdot8 = x(i) * y(i)", {"n": 23}),
    (scale_pointer_walk(), "pDst(i) = scale * pSrc(i)", {"blockSize": 15}),
    (axpy_unrolled_by_16(), "y(i) += a * x(i)", {"n": 47}),
    (daxpy_reference(), "dy(i) += da * dx(i)", {"n": 11}),
], ids=["dot8", "scale-pointer-walk", "axpy16", "daxpy"])
def test_the_correct_kernels_are_proved_as_far_as_their_loops_ask(tmp_path, text, program, bounds, capfd):
    path = write_kernel(tmp_path, text)
    proc, out = cli_main_json(capfd, "lift", path, "--timeout", "60")
    assert out["status"] == "lifted" and out["program"] == program, (proc.stderr, out)
    assert out["verification"] == "proved"
    if out["verification_scope"] == "bounded":      # induction did not settle it
        assert out["verification_bounds"] == bounds and out["verification_bound"] == max(bounds.values())
        assert f"proved for sizes up to {max(bounds.values())} only" in cli_main(capfd, "lift", path).stdout
    else:
        assert out["verification_scope"] == "all-sizes"
    # the bounded proof itself goes as far as the loops ask
    proof = bounded_proof(path, program)
    assert proof.verdict == "proved" and proof.bounds == bounds and proof.bound == max(bounds.values())


def bounded_proof(path, program, bound=3):
    analysis, _ = prepare(load_kernel(path), Budget(60), examples=0)
    return Verifier(analysis, bound).prove_bounded(parse_program(program))


@pytest.mark.slow
def test_examples_run_every_unrolled_body_twice_and_every_remainder(tmp_path, capfd):
    proc, out = cli_main_json(capfd, "analyze", write_kernel(tmp_path, dot_unrolled_by_8()), "--examples", "6")
    sizes = {e["sizes"]["n"] for e in out["examples"]}
    assert set(range(16, 24)) <= sizes, sizes


@pytest.mark.slow
def test_each_dimension_says_how_far_it_was_proved(tmp_path, capfd):
    path = write_kernel(tmp_path, GEMV_UNROLLED_INNER)
    proc, out = cli_main_json(capfd, "lift", path)
    assert out["program"] == "y(i) = A(i,j) * x(j)" and out["verification"] == "proved"
    if out["verification_scope"] == "bounded":
        assert out["verification_bounds"] == {"m": 3, "n": 11} and out["verification_bound"] == 3
        assert "proved for every combination of m up to 3, n up to 11 only" in cli_main(capfd, "lift", path).stdout
    proof = bounded_proof(path, out["program"])
    assert proof.bounds == {"m": 3, "n": 11} and proof.bound == 3
    # the user's bound is a floor
    proof = bounded_proof(path, out["program"], bound=4)
    assert proof.verdict == "proved" and proof.bounds == {"m": 4, "n": 11}
    proof = bounded_proof(path, out["program"], bound=12)
    assert proof.verdict == "proved" and proof.bounds == {"m": 12, "n": 12} and proof.bound == 12
