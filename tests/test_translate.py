"""Statements read off the C (synth/translate): each kernel lifts to the program the C says,
found as the first candidate and proved, and wrong readings are never taken unchecked."""
import pytest

from helpers import cli_main_json, write_kernel
from tensorlift.api import analyze
from tensorlift.synth.guide import trace_facts
from tensorlift.synth.translate import translate

KERNELS = {
    # a select on data that picks the smaller value is min
    "darken": ("void darken(int n, const int *a, const int *b, int *out) {\n"
               "  for (int i = 0; i < n; i++) { int p; if (a[i] < b[i]) p = a[i]; else p = b[i]; out[i] = p; } }",
               "out(i) = min(a(i), b(i))"),
    # a max started by the first element, the loop from 1
    "largest": ("float largest(const float *x, int n) {\n"
                "  float m = x[0]; for (int i = 1; i < n; i++) if (x[i] > m) m = x[i]; return m; }",
                "largest = max(i, x(i))"),
    # early returns in a helper, a branch the random data never takes (a zero divisor)
    "color_burn": ("static int burn(int b, int a) { if (a == 0) return 255; return 255 - (255 - b) / a; }\n"
             "void color_burn(int n, const int *base, const int *active, int *out) {\n"
             "  for (int i = 0; i < n; i++) out[i] = burn(base[i], active[i]); }",
             "out(i) = where(active(i) == 0, 255, 255 - (255 - base(i)) / active(i))"),
    # a conditional sum
    "positives": ("float positives(int n, const float *x) {\n"
                  "  float s = 0; for (int i = 0; i < n; i++) if (x[i] > 0) s += x[i]; return s; }",
                  "positives = where(x(i) > 0, x(i), 0)"),
    # a walk backwards from the end: the constant moves with the size
    "reverse_dot": ("int reverse_dot(const int *x, const int *h, int n) {\n"
                    "  const int *p = &x[n - 1]; int y = 0; for (int i = 0; i < n; i++) y += h[i] * *p--; return y; }",
                    "reverse_dot = h(i) * x(n-i-1)"),
    # a window and a stride
    "conv": ("void conv(int n, int m, const float *x, const float *w, float *y) {\n"
             "  for (int i = 0; i < n - m + 1; i++) { float s = 0; for (int k = 0; k < m; k++) s += x[i + k] * w[k]; y[i] = s; } }",
             "y(i) = x(i+j) * w(j)"),
    "down": ("void down(int n, const float *x, float *y) { for (int i = 0; i < n; i++) y[i] = x[2 * i]; }",
             "y(i) = x(2*i)"),
    # part of the output: the interior, a triangle
    "smooth": ("void smooth(int n, const float *x, float *y) {\n"
               "  for (int i = 1; i < n - 1; i++) y[i] = (x[i - 1] + x[i] + x[i + 1]) / 3.0f; }",
               "y(i) = (x(i-1) + x(i) + x(i+1)) / 3.0 for i >= 1"),
    "upper": ("void upper(int n, const float *A, float *B) {\n"
              "  for (int i = 0; i < n; i++) for (int j = i; j < n; j++) B[i * n + j] = 2.0f * A[i * n + j]; }",
              "B(i,j) = 2.0 * A(i,j) for j >= i"),
    "syrk": ("void syrk(int n, int m, float alpha, float beta, float *C, const float *A) {\n"
             "  for (int i = 0; i < n; i++) {\n"
             "    for (int j = 0; j <= i; j++) C[i * n + j] *= beta;\n"
             "    for (int k = 0; k < m; k++) for (int j = 0; j <= i; j++) C[i * n + j] += alpha * A[i * m + k] * A[j * m + k]; } }",
             "C(i,j) = C(i,j) * beta + alpha * A(i,k) * A(j,k) for i >= j"),
    # several steps through the output itself: softmax
    "softmax": ("#include <math.h>\nvoid softmax(float *x, int n) {\n"
                "  float m = x[0]; for (int i = 1; i < n; i++) if (x[i] > m) m = x[i];\n"
                "  float s = 0; for (int i = 0; i < n; i++) { x[i] = expf(x[i] - m); s += x[i]; }\n"
                "  for (int i = 0; i < n; i++) x[i] /= s; }",
                "x(i) = exp(x(i) - max(j, x(j))) / sum(k, exp(x(k) - max(j, x(j))))"),
}


@pytest.mark.parametrize("name", sorted(KERNELS))
def test_the_c_reads_as_its_program(tmp_path, name, capfd):
    source, program = KERNELS[name]
    k = write_kernel(tmp_path, source, f"{name}.c")
    proc, out = cli_main_json(capfd, "lift", k, "--function", name, "--target", "numpy,torch,jax")
    assert proc.returncode == 0, proc.stderr
    assert out["program"] == program
    assert out["verification"] == "proved", out
    assert out["candidates"] <= 2            # read off the C, not searched
    assert not any(line.strip().startswith("for ") for line in out["code"]["numpy"].splitlines())   # vectorised


def test_without_translation_the_search_runs(tmp_path, capfd):
    source, _ = KERNELS["darken"]
    k = write_kernel(tmp_path, source, "darken.c")
    proc, out = cli_main_json(capfd, "lift", k, "--no-translate", "--timeout", "30")
    assert proc.returncode == 0 and out["verification"] == "proved"
    assert out["candidates"] > 2


def test_a_reading_the_examples_reject_is_not_taken(tmp_path, capfd):
    """A branch the traced run never took is still read (both sides of a select); if it
    were read wrong, the examples and the proof stand between it and the user."""
    src = ("void clip(int n, const int *x, int *y) {\n"
           "  for (int i = 0; i < n; i++) { if (x[i] > 1000) y[i] = 0; else y[i] = x[i] * 2; } }")
    k = write_kernel(tmp_path, src, "clip.c")
    res = analyze(k, examples=0)
    stmts, _ = translate(res.analysis, trace_facts(res.analysis)[0])
    assert [str(s) for s in stmts["y"]] == ["y(i) = where(x(i) > 1000, 0, x(i) * 2)"]
    proc, out = cli_main_json(capfd, "lift", k)
    assert out["program"] == "y(i) = where(x(i) > 1000, 0, x(i) * 2)" and out["verification"] == "proved"


def test_a_padded_layout_stays_padded(tmp_path, capfd):
    """Rows of n+1 elements holding n (a padded matrix) are not mistaken for a diagonal walk."""
    src = ("void padded(int n, const float *A, float *B) {\n"
           "  for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) B[i * n + j] = A[i * (n + 1) + j]; }")
    k = write_kernel(tmp_path, src, "padded.c")
    proc, out = cli_main_json(capfd, "lift", k)
    assert proc.returncode == 0 and out["verification"] == "proved"
    assert out["program"] == "B(i,j) = A(i,j)"
