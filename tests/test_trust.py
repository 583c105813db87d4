""""Proved" means proved, C integer types are real, and the tool's own limits hold: kernels
written to probe the edges, run as a user runs them."""
import json
import time

import pytest
from helpers import BAD, cli_json, cli_main, cli_main_json, write_kernel


def lift(capfd, tmp_path, text, *args, name="kernel.c"):
    return cli_main_json(capfd, "lift", write_kernel(tmp_path, text, name), "--timeout", "60", *args)


def test_store_outside_the_fitted_region_is_not_lifted(tmp_path, capfd):
    proc, out = lift(capfd, tmp_path, """
        void copy_tail(int n, const int *b, int *a) {
          for (int i = 0; i < n; i++) a[i] = b[i];
          if (n < 3) a[n] = 0;            /* only at sizes the examples never use */
        }""")
    # a store no example saw: the examples do not describe the kernel, so nothing is lifted
    assert proc.returncode == 1 and out["status"] == "failed" and out["program"] is None
    assert "outside the region" in out["searched"] and "line 4" in out["searched"]
    proc = cli_main(capfd, "lift", tmp_path / "kernel.c")
    assert proc.returncode == 1 and "not lifted (copy_tail):" in proc.stderr
    # what is lifted is the loop alone, named as the region it is
    assert proc.stdout.startswith("# copy_tail:3-3\na(i) = b(i)\n"), proc.stdout


def test_store_into_an_array_no_example_saw_written_is_not_lifted(tmp_path, capfd):
    proc, out = lift(capfd, tmp_path, """
        void scale_clip(int n, int *b, int *a) {
          for (int i = 0; i < n; i++) { a[i] = 2 * b[i]; if (b[i] > 100) b[i] = 0; }
        }""")
    assert out["status"] == "failed" and "store into 'b'" in out["searched"]


def test_require_proof_turns_unknown_into_not_lifted(tmp_path, capfd):
    proc, out = lift(capfd, tmp_path, """
        void peek(int n, const float *x, float *y) {
          for (int i = 0; i < n; i++) y[i] = x[i];
          if (n == 1) y[0] = x[3];
        }""", "--require-proof")
    assert proc.returncode == 1 and out["status"] == "failed" and "not proved" in out["searched"]


def test_read_outside_the_fitted_region_is_not_proved(tmp_path, capfd):
    proc, out = lift(capfd, tmp_path, """
        void peek(int n, const float *x, float *y) {
          for (int i = 0; i < n; i++) y[i] = x[i];
          if (n == 1) y[0] = x[3];
        }""")
    assert out["verification"] == "unknown" and "reads x" in out["verification_reason"]


def test_sum_of_absolute_differences_on_bytes(tmp_path, capfd):
    proc, out = lift(capfd, tmp_path, """
        #include <stdint.h>
        #include <stdlib.h>
        int sad(const uint8_t *a, const uint8_t *b, int n) {
          int s = 0;
          for (int i = 0; i < n; i++) s += abs(a[i] - b[i]);
          return s;
        }""")
    assert out["status"] == "lifted" and out["verification"] == "proved", out
    proc, info = cli_main_json(capfd, "analyze", tmp_path / "kernel.c", "--examples", "1")
    assert [p["dtype"] for p in info["params"]] == ["uint8", "uint8", "int"]
    assert all(0 <= v <= 255 for v in info["examples"][0]["inputs"]["a"])


def test_uint8_results_wrap(tmp_path, capfd):
    proc, out = lift(capfd, tmp_path, """
        #include <stdint.h>
        void add8(int n, const uint8_t *a, const uint8_t *b, uint8_t *c) {
          for (int i = 0; i < n; i++) c[i] = a[i] + b[i];
        }""", "--target", "taco,numpy,torch,jax")
    assert out["program"] == "c(i) = a(i) + b(i)" and out["verification"] == "proved"


def test_unsigned_arithmetic_wraps(tmp_path, capfd):
    proc, out = lift(capfd, tmp_path, """
        void mixu(int n, const unsigned *a, const unsigned *b, unsigned *c) {
          for (int i = 0; i < n; i++) c[i] = 3u * a[i] - b[i];
        }""", "--target", "taco,numpy")
    assert out["verification"] == "proved", out
    proc = cli_main(capfd, "verify", tmp_path / "kernel.c", "c(i) = 3 * a(i) + b(i)")
    assert proc.returncode == 1 and "refuted" in proc.stdout


def test_narrow_results_of_a_wrong_program_are_refuted(tmp_path, capfd):
    k = write_kernel(tmp_path, """
        void half(int n, const short *a, signed char *c) {
          for (int i = 0; i < n; i++) c[i] = a[i] / 2;
        }""")
    assert cli_main(capfd, "verify", k, "c(i) = a(i) / 2").returncode == 0
    assert cli_main(capfd, "verify", k, "c(i) = a(i) / 3").returncode == 1


# ---------------------------------------------------------------- the tool's limits


def one_line(proc, code=2, contains=""):
    assert proc.returncode == code, (proc.stdout, proc.stderr)
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in proc.stderr, proc.stderr
    assert contains in lines[0], lines[0]


def test_a_far_offset_is_refused_without_eating_memory(tmp_path, capfd):
    k = write_kernel(tmp_path, "void far(int n, const int *a, int *b) "
                               "{ for (int i = 0; i < n; i++) b[i] = a[i + 100000000]; }")
    one_line(cli_main(capfd, "lift", k), contains="beyond the")


def test_a_kernel_that_never_ends_is_caught_in_about_a_second(capfd):
    start = time.monotonic()
    one_line(cli_main(capfd, "lift", BAD / "infinite_loop.c"), contains="did not finish within 1 s")
    assert time.monotonic() - start < 8


@pytest.mark.slow
def test_timeout_bounds_the_whole_lift(tmp_path):
    """A subprocess, so that a lift that overruns its limit fails this test instead of hanging it."""
    k = write_kernel(tmp_path, """
        void busy(int n, const double *x, double *y) {
          for (int i = 0; i < n; i++) { y[i] = x[i]; for (long k = 0; k < 150000; k++) y[i] += 0.0; }
        }""")
    start = time.monotonic()
    proc, out = cli_json("lift", k, "--timeout", "2", timeout=60)
    assert time.monotonic() - start < 12
    assert proc.returncode == 1 and out["status"] == "failed" and "time limit of 2 s" in out["searched"]


@pytest.mark.parametrize("name,content,contains", [
    ("missing.c", None, "no such file"),
    ("dir.c", "dir", "is a directory"),
    ("bin.c", b"\x7fELF\0\0\x02\x01" * 64, "binary file"),
    ("kernel", "void k(int n, float *a) { a[0] = 0; }", "not named like C"),
    ("nofunc.c", "int x;\n", "no function definition"),
])
def test_what_is_not_c_gets_one_line(tmp_path, name, content, contains, capfd):
    path = tmp_path / name
    if content == "dir":
        path.mkdir()
    elif isinstance(content, bytes):
        path.write_bytes(content)
    elif content is not None:
        path.write_text(content)
    one_line(cli_main(capfd, "lift", path), contains=contains)


def test_null_dereference_is_named(tmp_path, capfd):
    k = write_kernel(tmp_path, "void nul(int n, const int *a, int *b) "
                               "{ int *p = 0; for (int i = 0; i < n; i++) b[i] = a[i] + p[i]; }")
    one_line(cli_main(capfd, "lift", k), contains="null pointer dereference at line 1")


def test_disagreement_names_element_values_and_line(tmp_path, capfd):
    k = write_kernel(tmp_path, """
        void bump(int n, const float *x, float *y) {
          for (int i = 0; i < n; i++) {
            float t = 16777216.0f; t = t + 1.0f;     /* float rounding the interpreter skips */
            y[i] = x[i] + (t - 16777216.0f); } }""")
    one_line(cli_main(capfd, "lift", k), contains="disagree on y[0]")
    assert "the C gives" in cli_main(capfd, "lift", k).stderr and "line 5" in cli_main(capfd, "lift", k).stderr


def test_every_function_of_a_file_is_lifted_and_main_skipped(tmp_path, capfd):
    k = write_kernel(tmp_path, """
        #include <stdio.h>
        static float sq(float v) { return v * v; }
        void vsq(int n, const float *x, float *y) { for (int i = 0; i < n; i++) y[i] = sq(x[i]); }
        float vsum(int n, const float *x) { float s = 0; for (int i = 0; i < n; i++) s += x[i]; return s; }
        int main(void) { float x[3] = {1, 2, 3}, y[3]; vsq(3, x, y); printf("%f", vsum(3, y)); return 0; }""")
    proc = cli_main(capfd, "lift", k, "--json")
    records = [json.loads(line) for line in proc.stdout.splitlines()]
    assert [r["function"] for r in records] == ["vsq", "vsum"]
    assert [r["program"] for r in records] == ["y(i) = x(i) * x(i)", "vsum = x(i)"]
    assert proc.returncode == 0


def test_emitted_code_takes_flat_buffers_and_none_for_outputs(tmp_path, capfd):
    import numpy as np
    out = tmp_path / "out"
    proc = cli_main(capfd, "lift", "corpus/blas/gemv.c", "--target", "numpy", "--emit", out)
    assert proc.returncode == 0, proc.stderr
    ns = {}
    exec((out / "gemv_numpy.py").read_text(), ns)
    A = np.arange(12, dtype=np.float32)
    x = np.ones(4, dtype=np.float32)
    y = ns["gemv"](3, 4, A, x, None)
    assert y.tolist() == [6.0, 22.0, 38.0]
    assert "output only: may be None" in ns["gemv"].__doc__


def test_every_option_has_help():
    import argparse
    from tensorlift.cli import _parser
    sub = next(a for a in _parser()._actions if isinstance(a, argparse._SubParsersAction))
    for command, parser in sub.choices.items():
        for action in parser._actions:
            if action.help is argparse.SUPPRESS:
                continue
            assert action.help, f"{command} {action.option_strings or action.dest} has no help"
    assert "sizes 1..N" in sub.choices["lift"].format_help()
