"""Small C kernels that use the notation beyond plain TACO, shared by the stage tests of that
notation (test_extended_*.py): each with its right program, near misses the verifier must
refute, other spellings it must prove, and the construct plain TACO and tensora refuse."""
from __future__ import annotations

import ast
import functools
from dataclasses import dataclass

from tensorlift import api


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


def assert_vectorised(source):
    """No Python loop of any kind in the emitted module (comments and docstrings, which
    quote the program's `for` domains, aside)."""
    tree = ast.parse(source)
    loops = [type(n).__name__ for n in ast.walk(tree)
             if isinstance(n, (ast.For, ast.AsyncFor, ast.While, ast.comprehension))]
    assert not loops, source
    code = "\n".join(line.split("#")[0] for line in source.split('"""')[-1].split("\n"))
    assert "for " not in code, source
