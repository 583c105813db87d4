"""C styles beyond the corpus: each kernel lifts to a program proved equal to the expected one."""
import pytest

from helpers import ROOT, cli_main_json
from tensorlift.api import analyze
from tensorlift.taco.parse import parse_program
from tensorlift.verify.prove import verify

STYLES = ROOT / "tests" / "data" / "styles"
EXPECTED = {
    "rev.c": "x(i) = a * x(i)",                              # loop counting down
    "wl.c": "c(i) = a(i) + b(i)",                            # while loop, manual increment
    "fixed.c": "dot_product = a(i) * b(i)",                  # #define'd size, no size parameter
    "fixedmm.c": "C(i,j) = A(i,k) * B(k,j)",                 # int A[X][Y] with #define'd sizes
    "helper.c": "z(i) = x(i) * y(i) + 1",                    # a static inline helper
    "ptrarith.c": "y(i) += alpha * x(i)",                    # *(y + i), unsigned, restrict
    "vla.c": "y(i) = A(i,j) * x(j)",                         # C99 variable-length array parameters
    "dowhile.c": "sumsq = v(i) * v(i)",                      # do-while over a pointer range
    "colmaj.c": "out(i,j) = in(j,i)",                        # column-major output
    "outer.c": "M(i,j) = u(i) * v(j)",
    "sub2.c": "c(i) = (a(i) - b(i)) * (a(i) + b(i))",
    "mean.c": "mean = x(i) / n",                             # a size in the arithmetic
    "mvt3.c": "D(i,l) = A(i,j) * B(j,k) * C(k,l)",           # three-factor contraction
    "incx.c": "Y(i) += ALPHA * X(i)",                        # Darknet increments INCX/INCY
    "copy.c": "Y(i) = X(i)",
    "flat.c": "c(i) = a(i) + b(i)",                          # one loop over M*N elements
    "ms.c": "C(i,j) = A(i,k) * B(k,j)",                      # memset, then accumulate
    "mc.c": "dst(i) = s * src(i)",                           # memcpy, then scale in place
    "tacogemm.c": "A.vals(i,j) = B.vals(i,k) * C.vals(k,j)", # TACO's zero fill + accumulate; tied sizes
    "clampif.c": "y(i) = max(x(i), 0.1 * x(i))",             # if/else on data: a select
    "relu2.c": "y(i) = max(x(i), 0)",                        # ?: on data
    "len.c": "length = sqrt(v(i) * v(i))",                   # sqrtf of a reduction
    "norm.c": "out(i) = v(i) / sqrt(v(j) * v(j))",
    "res.c": "result = a(i) * b(i)",                         # result through a pointer to one element
    "half.c": "c(i) = 0.5 * (a(i) + b(i))",                  # early return on a size, i <= n - 1
    "conv.c": "out(i) = 1.0 * a(i) / n",                     # (float) cast of an int array
    "unroll.c": "y(i) = 2 * x(i)",                           # unrolled by two with a remainder loop
    "sub.c": "x(i) = x(i) - y(i)",
    "mixed.c": "mixdot = a(i) * b(i)",                       # float and int arrays into a double
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_style_lifts_and_is_proved(name, capfd):
    proc, out = cli_main_json(capfd, "lift", STYLES / name, "--timeout", "60", "--target", "taco,numpy")
    assert proc.returncode == 0, proc.stderr
    assert out["verification"] == "proved"
    res = analyze(STYLES / name, examples=0)
    assert verify(res.analysis, parse_program(EXPECTED[name])).verdict == "proved"


def test_a_constant_step_reads_every_other_element(tmp_path, capfd):
    k = tmp_path / "even.c"
    k.write_text("void evens(int n, const int *x, int *y) { for (int i = 0; i < n; i++) y[i] = x[2*i] + 1; }")
    proc, out = cli_main_json(capfd, "lift", k)
    assert proc.returncode == 0 and out["program"] == "y(i) = x(2*i) + 1" and out["verification"] == "proved"