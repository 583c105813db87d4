"""Bounded verification: proofs, and wrong programs refuted with readable counterexamples."""
import pytest

from helpers import CORPUS, cli_main, cli_main_json, write_kernel

GEMM_NT = CORPUS / "blas/gemm_nt.c"          # C(i,j) += ALPHA * A(i,k) * B(j,k)
GEMM = CORPUS / "blas/gemm_strided.c"        # C = ALPHA*A*B + BETA*C


def _refuted(capfd, file, program):
    proc, out = cli_main_json(capfd, "verify", file, program)
    assert proc.returncode == 1, proc.stderr
    assert out["verdict"] == "refuted" and out["bound"] == 3
    cex = out["counterexample"]
    assert set(cex) >= {"sizes", "inputs", "expected", "got"}
    return cex


def test_proves_the_right_program(capfd):
    proc, out = cli_main_json(capfd, "verify", GEMM_NT, "C(i,j) += ALPHA * A(i,k) * B(j,k)")
    assert proc.returncode == 0
    assert out == {**out, "verdict": "proved", "scope": "all-sizes", "bound": None, "model": "reals",
                   "counterexample": None}


def test_symbolic_scalar_refutes_identity(capfd):
    cex = _refuted(capfd, GEMM_NT, "C(i,j) = C(i,j)")
    assert cex["expected"]["C"] != cex["got"]["C"]


def test_transposed_access_refuted(capfd):
    cex = _refuted(capfd, CORPUS / "blas/gemv.c", "y(i) = A(j,i) * x(j)")
    assert "reason" in cex or cex["expected"] != cex["got"]


def test_missing_scalar_factor_refuted(capfd):
    cex = _refuted(capfd, GEMM, "C(i,j) = A(i,k) * B(k,j) + BETA * C(i,j)")
    assert cex["inputs"]["ALPHA"] != 1


def test_missing_accumulation_refuted(capfd):
    cex = _refuted(capfd, GEMM_NT, "C(i,j) = ALPHA * A(i,k) * B(j,k)")
    assert cex["expected"]["C"] != cex["got"]["C"]


def test_wrong_constant_refuted(tmp_path, capfd):
    k = write_kernel(tmp_path, "void f(int n, int *a, int *b) { for (int i = 0; i < n; i++) b[i] = 3 * a[i] + 1; }")
    _refuted(capfd, k, "b(i) = 3 * a(i) + 2")
    assert cli_main_json(capfd, "verify", k, "b(i) = 1 + a(i) * 3")[1]["verdict"] == "proved"
    assert cli_main_json(capfd, "verify", k, "b(i) = 3 * a(i) + 1")[1]["model"] == "integers"


def test_off_by_one_slice_refuted(tmp_path, capfd):
    k = write_kernel(tmp_path, """
        int f(int n, int *x, int *y) {
            int s = 0;
            for (int i = 0; i < n; i++) y[i] = x[i];
            for (int i = 0; i < n - 1; i++) s += x[i];
            return s;
        }""")
    cex = _refuted(capfd, k, "y(i) = x(i); f = x(i)")
    assert cex["sizes"]["n"] >= 1 and "f" in cex["expected"]


def test_c_integer_division_semantics(tmp_path, capfd):
    k = write_kernel(tmp_path, "void f(int n, int *a, int *b, int *c) { for (int i = 0; i < n; i++) c[i] = a[i] / b[i]; }")
    assert cli_main_json(capfd, "verify", k, "c(i) = a(i) / b(i)")[1]["verdict"] == "proved"
    _refuted(capfd, k, "c(i) = a(i) * b(i) / (b(i) * b(i))")


def test_missing_output_is_refuted(capfd):
    _refuted(capfd, CORPUS / "polybench/2mm.c", "tmp(i,j) = alpha * A(i,k) * B(k,j)")


def test_readable_text_output(capfd):
    proc = cli_main(capfd, "verify", GEMM_NT, "C(i,j) = C(i,j)")
    assert proc.returncode == 1
    assert "refuted" in proc.stdout and "counterexample at sizes" in proc.stdout and "expected C" in proc.stdout


@pytest.mark.parametrize("program,contains", [
    ("C(i,j) = Q(i,j)", "unknown tensor 'Q'"),
    ("C(i) = A(i,k)", "has order 2"),
    ("C(i,j) = = A", "column 10"),
])
def test_bad_programs_exit_2(program, contains, capfd):
    proc = cli_main(capfd, "verify", GEMM_NT, program)
    assert proc.returncode == 2 and contains in proc.stderr and len(proc.stderr.strip().splitlines()) == 1


ROWS = """
#include <vector>
using namespace std;
vector<vector<float>> twice(const vector<vector<float>>& a) {
    vector<vector<float>> out(a.size());          // empty rows, each grown by push_back
    for (size_t i = 0; i < a.size(); i++)
        for (size_t j = 0; j < a[i].size(); j++)
            out[i].push_back(2.0f * a[i][j]);
    return out;
}"""


def test_bound_option(tmp_path, capfd):
    """The bound is for proofs that induction does not give (here: rows grown one by one)."""
    k = write_kernel(tmp_path, ROWS, "rows.cpp")
    proc, out = cli_main_json(capfd, "verify", k, "twice(i,j) = 2.0 * a(i,j)", "--bound", "2")
    assert out["bound"] == 2 and out["verdict"] == "proved" and out["scope"] == "bounded"
    proc, out = cli_main_json(capfd, "verify", GEMM_NT, "C(i,j) += ALPHA * A(i,k) * B(j,k)", "--bound", "2")
    assert out["bound"] is None and out["verdict"] == "proved" and out["scope"] == "all-sizes"
