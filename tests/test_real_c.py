"""Real C as it comes: a project with headers and build flags, whole files with `static`
kernels and their own `main`, globals, size macros, libc and libm, flags that pick a loop nest."""
import json
import time

from helpers import cli_main, cli_main_json, write_kernel

HEADER = """#ifndef VEC_H
#define VEC_H
#include <float.h>
#define LEN 64
static inline float square(float x) { return x * x; }
void vsq(int n, const float *x, float *y);
#endif
"""

SOURCE = """#include "vec.h"
#include <assert.h>
#include <stdlib.h>
#include <stdio.h>

void vsq(int n, const float *x, float *y) {
    assert(n > 0);
    for (int i = 0; i < n; i++) y[i] = square(x[i]);
}

static void scaled(int n, const float *x, float *y) {      /* static: as the build compiles it */
    float *tmp = calloc(n, sizeof(float));
    for (int i = 0; i < n; i++) tmp[i] = 2.0f * x[i];
    for (int i = 0; i < n; i++) y[i] = tmp[i] + 1.0f;
    free(tmp);
}

float fixed_sum(const float v[LEN]) {
    float s = 0;
    for (int i = 0; i < LEN; i++) s += v[i];
    return s;
}

int main(void) { float x[4] = {1, 2, 3, 4}, y[4]; vsq(4, x, y); scaled(4, x, y); printf("%f\\n", y[0]); return 0; }
"""


def project(tmp_path):
    (tmp_path / "include").mkdir()
    (tmp_path / "src").mkdir()
    (tmp_path / "include" / "vec.h").write_text(HEADER)
    (tmp_path / "src" / "vec.c").write_text(SOURCE)
    return tmp_path / "src" / "vec.c"


def records(proc):
    return {r["function"]: r for r in map(json.loads, proc.stdout.splitlines())}


def test_headers_need_the_include_path(tmp_path, capfd):
    src = project(tmp_path)
    proc = cli_main(capfd, "lift", src)
    assert proc.returncode == 2 and "'vec.h' file not found" in proc.stderr and "-I DIR" in proc.stderr


def test_project_with_include_flag(tmp_path, capfd):
    src = project(tmp_path)
    for flag in (["-I", tmp_path / "include"], [f"-I{tmp_path / 'include'}"],
                 ["--cflags", f"-I{tmp_path / 'include'} -DUNUSED=1"]):
        proc = cli_main(capfd, "lift", src, *flag, "--json")
        got = records(proc)
        assert set(got) == {"vsq", "scaled", "fixed_sum"}, proc.stderr     # main is skipped
        assert got["vsq"]["program"] == "y(i) = x(i) * x(i)" and got["vsq"]["verification"] == "proved"
        assert got["scaled"]["verification"] == "proved"
        assert got["fixed_sum"]["program"] == "fixed_sum = v(i)"


def test_project_with_compile_commands(tmp_path, capfd):
    src = project(tmp_path)
    build = tmp_path / "build"
    build.mkdir()
    (build / "compile_commands.json").write_text(json.dumps([{
        "directory": str(tmp_path), "file": "src/vec.c",
        "command": "cc -O2 -Wall -Iinclude -c src/vec.c -o build/vec.o"}]))
    proc = cli_main(capfd, "lift", src, "-p", build, "--function", "vsq", "--json")
    assert json.loads(proc.stdout)["verification"] == "proved", proc.stderr
    (tmp_path / "compile_commands.json").write_text((build / "compile_commands.json").read_text())
    proc = cli_main(capfd, "analyze", src, "--function", "fixed_sum", "--json", "--examples", "1")   # found by search
    info = json.loads(proc.stdout)
    assert [p["name"] for p in info["params"]] == ["v", "LEN"]
    assert info["params"][1] == {"name": "LEN", "kind": "scalar", "dtype": "int", "role": "dimension", "macro": 64}


def test_names_libc_has_and_a_main_of_its_own(tmp_path, capfd):
    k = write_kernel(tmp_path, """
        int div(int a, int b) { return a / b; }
        void index(int n, const int *a, int *b) { for (int i = 0; i < n; i++) b[i] = div(a[i], 2); }
        int main(int argc, char **argv) { return argc; }""")
    proc, out = cli_main_json(capfd, "lift", k)
    assert out["function"] == "index" and out["program"] == "b(i) = a(i) / 2" and out["verification"] == "proved"


def test_fixed_size_matmul_lifts_in_a_second(tmp_path, capfd):
    k = write_kernel(tmp_path, """
        #define N 64
        void mm64(float A[N][N], float B[N][N], float C[N][N]) {
          for (int i = 0; i < N; i++)
            for (int j = 0; j < N; j++) {
              float s = 0;
              for (int k = 0; k < N; k++) s += A[i][k] * B[k][j];
              C[i][j] = s;
            }
        }""")
    start = time.monotonic()
    proc, out = cli_main_json(capfd, "lift", k, "--target", "taco,numpy")
    assert time.monotonic() - start < 10
    assert out["program"] == "C(i,j) = A(i,k) * B(k,j)" and out["verification"] == "proved"
    assert "def mm64(A, B, C=None, N=64):" in out["code"]["numpy"]   # C: an output only


def test_globals_are_tensors(tmp_path, capfd):
    k = write_kernel(tmp_path, """
        #define N 40
        double A[N][N], x[N], y[N];
        static const double scale = 0.5;
        void gmv(void) {
          for (int i = 0; i < N; i++) {
            y[i] = 0;
            for (int j = 0; j < N; j++) y[i] += scale * A[i][j] * x[j];
          }
        }""")
    proc, out = cli_main_json(capfd, "lift", k, "--target", "numpy")
    assert out["program"] == "y(i) = 0.5 * A(i,j) * x(j)" and out["verification"] == "proved", proc.stderr
    assert "def gmv(A, x, y=None, N=40):" in out["code"]["numpy"]   # y: an output only


def test_vla_pitch_and_three_dimensional_vla(tmp_path, capfd):
    k = write_kernel(tmp_path, """
        void mm(int A_ROW, int A_COL, int B_ROW, int B_COL, int a[A_ROW][A_COL], int b[B_ROW][B_COL],
                int c[A_ROW][B_COL]) {
          for (int i = 0; i < A_ROW; i++)
            for (int j = 0; j < B_COL; j++) {
              c[i][j] = 0;
              for (int k = 0; k < B_ROW; k++) c[i][j] += a[i][k] * b[k][j];
            }
        }
        void sum3(int nr, int nq, int np, double A[nr][nq][np], double out[nr][nq]) {
          for (int r = 0; r < nr; r++)
            for (int q = 0; q < nq; q++) {
              out[r][q] = 0;
              for (int p = 0; p < np; p++) out[r][q] += A[r][q][p];
            }
        }""")
    got = records(cli_main(capfd, "lift", k, "--json"))
    assert got["mm"]["program"] == "c(i,j) = a(i,k) * b(k,j)" and got["mm"]["verification"] == "proved"
    assert got["sum3"]["program"] == "out(i,j) = A(i,j,k)" and got["sum3"]["verification"] == "proved"


GEMM_CPU = """
void gemm_nn(int M, int N, int K, float ALPHA, float *A, int lda, float *B, int ldb, float *C, int ldc) {
    for (int i = 0; i < M; ++i) for (int k = 0; k < K; ++k) {
        register float A_PART = ALPHA * A[i*lda+k];
        for (int j = 0; j < N; ++j) C[i*ldc+j] += A_PART * B[k*ldb+j]; } }
void gemm_tn(int M, int N, int K, float ALPHA, float *A, int lda, float *B, int ldb, float *C, int ldc) {
    for (int i = 0; i < M; ++i) for (int k = 0; k < K; ++k) {
        register float A_PART = ALPHA * A[k*lda+i];
        for (int j = 0; j < N; ++j) C[i*ldc+j] += A_PART * B[k*ldb+j]; } }
void gemm_cpu(int TA, int M, int N, int K, float ALPHA, float *A, int lda, float *B, int ldb, float BETA,
              float *C, int ldc) {
    for (int i = 0; i < M; ++i) for (int j = 0; j < N; ++j) C[i*ldc + j] *= BETA;
    if (!TA) gemm_nn(M, N, K, ALPHA, A, lda, B, ldb, C, ldc);
    else gemm_tn(M, N, K, ALPHA, A, lda, B, ldb, C, ldc);
}
"""


def test_a_flag_gives_one_proved_program_per_case(tmp_path, capfd):
    k = write_kernel(tmp_path, GEMM_CPU)
    proc, out = cli_main_json(capfd, "lift", k, "--function", "gemm_cpu", "--target", "taco,numpy,torch,jax")
    assert out["status"] == "lifted" and out["verification"] == "proved", proc.stderr
    assert out["program"] == ("if TA != 0:\n    C(i,j) = C(i,j) * BETA + ALPHA * A(k,i) * B(k,j)\n"
                              "elif TA == 0:\n    C(i,j) = C(i,j) * BETA + ALPHA * A(i,k) * B(k,j)")
    assert [c["verification"] for c in out["cases"]] == ["proved"] * 3      # TA < 0, == 0, > 0
    assert "if TA != 0:" in out["code"]["numpy"] and "elif TA == 0:" in out["code"]["jax"]
    assert cli_main(capfd, "verify", k, out["program"], "--function", "gemm_cpu").returncode == 0
    wrong = out["program"].replace("A(k,i) * B(k,j)", "A(i,k) * B(k,j)", 1)
    assert cli_main(capfd, "verify", k, wrong, "--function", "gemm_cpu").returncode == 1


def test_libm_domains_agree_with_the_compiled_c(tmp_path, capfd):
    k = write_kernel(tmp_path, """
        #include <math.h>
        void logs(int n, const double *x, double *y) { for (int i = 0; i < n; i++) y[i] = log(x[i]) + pow(x[i], 0.5); }""")
    proc, info = cli_main_json(capfd, "analyze", k, "--examples", "2")    # NaN and -inf agree, or this would fail
    assert proc.returncode == 0, proc.stderr


def test_a_status_chosen_by_the_inputs_is_part_of_the_result(tmp_path, capfd):
    """A range check's return code is computed from value scalars: it is an output to
    match, never dropped as a status code (a proof without it would be of the wrong thing)."""
    k = write_kernel(tmp_path, """
int hours_to_rad(int ihour, double sec, double *rad) {
    *rad = (3600.0 * ihour + sec) * 7.27220521664304e-5;
    if (ihour < 0 || ihour > 23) return 1;
    if (sec < 0.0 || sec >= 60.0) return 2;
    return 0;
}""")
    proc, out = cli_main_json(capfd, "lift", k)
    assert out["verification"] == "proved", proc.stderr
    assert "hours_to_rad = where(ihour < 0 || ihour > 23, 1, where(sec < 0.0 || sec >= 60.0, 2, 0))" \
        in out["program"]


def test_a_file_whose_other_functions_call_into_the_project(tmp_path, capfd):
    k = write_kernel(tmp_path, """
const char *sinc_name(int kind);
const char *get_name(int kind) { return sinc_name(kind); }
void short_to_float(const short *in, float *out, int len) {
    while (len) { len--; out[len] = (float) (in[len] / (1.0 * 0x8000)); }
}""")
    proc, out = cli_main_json(capfd, "lift", k, "--function", "short_to_float")
    assert proc.returncode == 0 and out["verification"] == "proved", proc.stderr


def test_functions_from_an_included_template_body(tmp_path, capfd):
    (tmp_path / "body.inc.c").write_text(
        "void CAT(TYPE, _scale)(const TYPE *in, TYPE *out, int n, TYPE a) {\n"
        "    for (int i = 0; i < n; i++) out[i] = a * in[i]; }\n")
    k = write_kernel(tmp_path, """
#define CAT_(a, b) a##b
#define CAT(a, b) CAT_(a, b)
#define TYPE float
#include "body.inc.c"
#undef TYPE
#define TYPE double
#include "body.inc.c"
""")
    proc = cli_main(capfd, "lift", k, "--json")
    got = {r["function"]: r for r in map(json.loads, proc.stdout.splitlines())}
    assert sorted(got) == ["double_scale", "float_scale"], proc.stderr
    assert all(r["program"] == "out(i) = a * in(i)" and r["verification"] == "proved" for r in got.values())


def test_libm_on_constants_folds_as_the_c_does(tmp_path, capfd):
    k = write_kernel(tmp_path, """#include <math.h>
void mexh_scale(const double *input, double *output, int n) {
    for (int i = 0; i < n; i++) output[i] = input[i] * 2 / (sqrt(3) * sqrt(sqrt(M_PI)));
}""")
    proc, out = cli_main_json(capfd, "lift", k)
    assert out["verification"] == "proved" and out["candidates"] <= 2, proc.stderr
