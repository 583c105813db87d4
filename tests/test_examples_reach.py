"""Examples that reach every store and every loop (issue 17, point 3): size checks are cases
(the passing side with its sizes tied), a branch on scalars gets examples on both sides,
loops run at least twice whatever the order of the parameters, and a store no example saw
means "not lifted"."""
import json

import pytest
from helpers import cli, cli_main_json, write_kernel

CHECKED_DOT = """
    int checked_dot(const float *a, int na, const float *b, int nb, float *result) {
        if (na != nb || na <= 0) return -1;
        float s = 0.0f;
        for (int i = 0; i < na; i++) s += a[i] * b[i];
        *result = s;
        return 0;
    }"""

# a DSP library's vector function built with its size checks on: the status is set, not returned early
SCALE_WITH_STATUS = """
    int vscale(const float *a, int n, int m, float scale, float *out) {
        int status;
        const float *pIn = a;
        float *pOut = out;
        if (n != m) status = -3;
        else {
            for (int i = 0; i < n; i++) *pOut++ = scale * *pIn++;
            status = 0;
        }
        return status;
    }"""

MATRIX_ADD = """
    int mat_add(int ar, int ac, const int *A, int br, int bc, const int *B, int *C) {
        if (ar != br || ac != bc) return -2;
        for (int i = 0; i < ar; i++)
            for (int j = 0; j < ac; j++)
                C[i * ac + j] = A[i * ac + j] + B[i * ac + j];
        return 0;
    }"""


@pytest.mark.slow
def test_a_size_check_with_an_early_return_is_a_guarded_program(tmp_path, capfd):
    path = write_kernel(tmp_path, CHECKED_DOT)
    proc, out = cli_main_json(capfd, "lift", path, "--target", "taco,numpy")
    assert proc.returncode == 0 and out["status"] == "lifted", (proc.stderr, out)
    assert out["program"] == ("if na == nb:\n    result = a(i) * b(i)\n    checked_dot = 0\n"
                              "elif na != nb:\n    checked_dot = -1")
    assert out["verification"] == "proved"
    assert [c["when"] for c in out["cases"]] == ["na == nb", "na != nb"]
    assert all(c["verification"] == "proved" for c in out["cases"])
    assert "if na == nb:" in out["code"]["numpy"]
    # the passing side's examples have the sizes tied
    proc, info = cli_main_json(capfd, "analyze", path)
    assert info["tied_sizes"] == [["na", "nb"]]
    assert all(e["sizes"]["na"] == e["sizes"]["nb"] for e in info["examples"])
    assert all("result" in e["outputs"] for e in info["examples"])


@pytest.mark.slow
def test_a_status_set_by_a_size_check_around_a_pointer_walk(tmp_path, capfd):
    """The shape that ended in "internal error: Z3Exception: b'parser error'" (issue 18)."""
    proc, out = cli_main_json(capfd, "lift", write_kernel(tmp_path, SCALE_WITH_STATUS), "--target", "numpy")
    assert proc.returncode == 0 and out["status"] == "lifted", (proc.stderr, out)
    assert out["program"] == "if n == m:\n    out(i) = scale * a(i)\n    vscale = 0\nelif n != m:\n    vscale = -3"
    assert out["verification"] == "proved"
    # the emitted function returns `out` as it was given when the check fails
    assert "out: float32[n], output (returned as given when n != m)" in out["code"]["numpy"]


@pytest.mark.slow
def test_a_check_of_two_matrix_shapes(tmp_path, capfd):
    proc, out = cli_main_json(capfd, "lift", write_kernel(tmp_path, MATRIX_ADD))
    assert out["status"] == "lifted", (proc.stderr, out)
    first, second = out["program"].split("\nelif ")
    assert first.startswith("if ar == br and ac == bc:") and "C(i,j) = A(i,j) + B(i,j)" in first
    assert second.startswith("(ar != br) or (ac != bc):") or second.startswith("ar != br or ac != bc:"), second
    assert out["verification"] == "proved"


@pytest.mark.slow
def test_a_program_for_one_side_of_a_size_check_is_refuted(tmp_path, capfd):
    path = write_kernel(tmp_path, CHECKED_DOT)
    proc, out = cli_main_json(capfd, "verify", path, "result = a(i) * b(i); checked_dot = 0")
    assert proc.returncode == 1 and out["verdict"] == "refuted", out
    guarded = "if na == nb:\n    result = a(i) * b(i)\n    checked_dot = 0\nelif na != nb:\n    checked_dot = -1"
    proc, out = cli_main_json(capfd, "verify", path, guarded)
    assert proc.returncode == 0 and out["verdict"] == "proved", (proc.stderr, out)


CONV = {
    "image-first": "const float *img, int H, int W, const float *ker, int KH, int KW, float *out",
    "kernel-first": "int KH, int KW, const float *ker, int H, int W, const float *img, float *out",
    "interleaved": "int H, int KH, int W, int KW, const float *img, const float *ker, float *out",
}


@pytest.mark.slow
@pytest.mark.parametrize("order", list(CONV))
def test_a_valid_convolution_in_any_parameter_order(tmp_path, order, capfd):
    path = write_kernel(tmp_path, f"""
        void conv2d_valid({CONV[order]}) {{
            for (int i = 0; i < H - KH + 1; i++)
                for (int j = 0; j < W - KW + 1; j++) {{
                    float s = 0;
                    for (int a = 0; a < KH; a++)
                        for (int b = 0; b < KW; b++)
                            s += img[(i + a) * W + (j + b)] * ker[a * KW + b];
                    out[i * (W - KW + 1) + j] = s;
                }}
        }}""")
    proc, info = cli_main_json(capfd, "analyze", path)
    assert info["tied_sizes"] == []
    shapes = {p["name"]: p["shape"] for p in info["params"] if p["kind"] == "array"}
    assert shapes["img"] == ["H", "W"] and shapes["ker"] == ["KH", "KW"]
    # some example runs every loop at least twice
    assert any(e["sizes"]["H"] - e["sizes"]["KH"] + 1 >= 2 and e["sizes"]["W"] - e["sizes"]["KW"] + 1 >= 2
               and e["sizes"]["KH"] >= 2 and e["sizes"]["KW"] >= 2 for e in info["examples"])
    proc, out = cli_main_json(capfd, "lift", path)
    assert out["program"] == "out(i,j) = img(i+k,j+l) * ker(k,l)" and out["verification"] == "proved", out


@pytest.mark.slow
def test_a_branch_on_scalars_gets_examples_on_both_sides(tmp_path, capfd):
    path = write_kernel(tmp_path, """
        void blend_pick(const float *base, const float *active, float *out, int n, float opacity, float r) {
            for (int i = 0; i < n; i++) {
                if (opacity - r >= 0) out[i] = active[i];
                else out[i] = base[i];
            }
        }""")
    proc, info = cli_main_json(capfd, "analyze", path, "--examples", "6")
    assert proc.returncode == 0, proc.stderr
    sides = {e["inputs"]["opacity"] - e["inputs"]["r"] >= 0 for e in info["examples"]}
    assert sides == {True, False}
    proc, out = cli_main_json(capfd, "lift", path)
    assert out["program"] == "out(i) = where(opacity - r >= 0, active(i), base(i))", out
    assert out["verification"] == "proved"


@pytest.mark.slow
def test_bench_counts_a_store_no_example_saw_as_failed(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    write_kernel(src, """
        void copy_tail(int n, const int *b, int *a) {
            for (int i = 0; i < n; i++) a[i] = b[i];
            if (n < 3) a[n] = 0;
        }""")
    report = tmp_path / "r.json"
    proc = cli("bench", src, "--jobs", "1", "--report", report)
    assert proc.returncode == 0, proc.stderr
    rec, region = json.loads(report.read_text())
    assert rec["status"] == "failed" and "outside the region" in rec["searched"], rec
    # its first loop alone is a kernel
    assert region["region"] == "3-3" and region["program"] == "a(i) = b(i)", region


@pytest.mark.slow
def test_a_length_check_that_returns_early_is_a_case(tmp_path, capfd):
    """A transform defined for a few lengths only, as DSP libraries check them."""
    proc, out = cli_main_json(capfd, "lift", write_kernel(tmp_path, """
        int cfft_scale(const float *x, float *y, int fftLen) {
            if (fftLen != 16 && fftLen != 32) return -1;
            for (int i = 0; i < fftLen; i++) y[i] = x[i] / 2.0f;
            return 0;
        }"""))
    assert out["status"] == "lifted" and out["verification"] == "proved", out
    assert out["program"].startswith("if (fftLen == 16) or (fftLen == 32):\n    y(i) = x(i) / 2.0\n")
    # by induction, each case under its condition (how far a bounded proof reaches: test_proof_bounds.py)
    assert out["verification_scope"] == "all-sizes" and out["verification_bound"] is None, out
    assert [c["verification_scope"] for c in out["cases"]] == ["all-sizes", "all-sizes"]


@pytest.mark.slow
def test_a_case_beyond_the_bound_is_proved_by_induction_and_a_case_may_compute_nothing(tmp_path, capfd):
    path = write_kernel(tmp_path, """
        void twice(int n, const int *x, int *y) {
            if (n > 1024) return;
            for (int i = 0; i < n; i++) y[i] = 2 * x[i];
        }""")
    proc, out = cli_main_json(capfd, "lift", path, "--target", "numpy")
    assert proc.returncode == 0 and out["status"] == "lifted" and out["verification"] == "proved", out
    assert out["program"] == "if n <= 1024:\n    y(i) = 2 * x(i)\nelif n >= 1025:\n    # nothing: the kernel computes nothing here"
    # no size up to 64 lies in the second case: only the proof for every size covers it
    assert out["verification_scope"] == "all-sizes", out
    assert "y: int32[n], output (returned as given when n >= 1025)" in out["code"]["numpy"]
