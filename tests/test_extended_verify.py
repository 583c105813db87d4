"""The verifier on small C kernels that need the notation beyond plain TACO: the right program
proved, near misses refuted with a counterexample, what it cannot cover `unknown`."""
from __future__ import annotations

import re

import numpy as np
import pytest
from extended_kernels import KERNELS, kernel_path
from helpers import cli_main_json

from tensorlift import api
from tensorlift.errors import UnsupportedConstruct


@pytest.mark.parametrize("name", KERNELS)
def test_verifier_proves_the_program_and_refutes_near_misses(kernel_dir, name):
    k = KERNELS[name]
    path = kernel_path(kernel_dir, name)
    for text in (k.program, *k.also):
        got = api.verify(path, text, name)
        assert got.verdict == "proved", (text, got)
        assert got.scope == "all-sizes" and got.bound is None, (text, got)
    for text in k.wrong:
        got = api.verify(path, text, name)
        assert got.verdict == "refuted", (text, got)
        cex = got.counterexample
        assert set(cex) >= {"sizes", "inputs", "expected", "got"}


def test_verifier_model_follows_the_types(kernel_dir):
    assert api.verify(kernel_path(kernel_dir, "relu"), KERNELS["relu"].program).model == "integers"
    assert api.verify(kernel_path(kernel_dir, "rowmax"), KERNELS["rowmax"].program).model == "reals"


def test_counterexample_of_a_wrong_comparison_shows_the_difference(kernel_dir):
    got = api.verify(kernel_path(kernel_dir, "relu"), "y(i) = where(x(i) > 1, x(i), 0)")
    cex = got.counterexample
    assert cex["expected"]["y"] != cex["got"]["y"]
    assert 1 in [v for v in np.ravel(cex["inputs"]["x"])]     # the one value where > 0 and > 1 differ


@pytest.mark.parametrize("c, program, why", [
    # a loop whose trip count depends on the data: the symbolic run cannot follow it (or the
    # analysis refuses the kernel, naming the loop)
    ("""void count(int n, const int *x, int *y) {
            for (int i = 0; i < n; i++) { int k = 0; while (k < x[i]) k++; y[i] = k; }
        }""", "y(i) = max(x(i), 0)", "depends on array values|trip count depends on data"),
    # a store the examples (sizes 3, 4, 5) never made, outside the region analysis fitted
    ("""void edge(int n, const int *x, int *y) {
            for (int i = 0; i < n; i++) y[i] = x[i];
            if (n == 1) y[1] = 0;
        }""", "y(i) = x(i)", "outside the region"),
])
def test_verifier_says_unknown_when_it_cannot_cover_the_c(tmp_path, c, program, why):
    path = tmp_path / "k.c"
    path.write_text(c)
    try:
        got = api.verify(path, program)
    except UnsupportedConstruct as e:          # refused by name: never "proved" either
        assert re.search(why, str(e)), e
        return
    assert got.verdict == "unknown", got
    assert re.search(why, got.reason), got.reason


def test_verifier_bound_must_reach_a_constant_threshold(tmp_path):
    """`for i < 4` holds for every index when sizes stop at 3: no proof of it at that bound."""
    path = tmp_path / "cap.c"
    path.write_text("void cap(int n, const int *x, int *y) { for (int i = 0; i < n; i++) y[i] = i < 4 ? x[i] : -x[i]; }")
    right, near = "y(i) = -x(i); y(i) = x(i) for i < 4", "y(i) = -x(i); y(i) = x(i) for i < 3"
    got = api.verify(path, right, bound=3)
    assert got.verdict == "proved" and got.scope == "all-sizes"     # by induction: no bound to reach
    # the counter's own threshold takes the bounded proof past 4 (c/reach.py), whatever --bound
    assert api.verify(path, near, bound=3).verdict == "refuted"
    assert api.verify(path, right, bound=5).verdict == "proved"
    assert api.verify(path, near, bound=5).verdict == "refuted"
    assert api.verify(path, "y(i) = -x(i); y(i) = x(i) for 3 >= i", bound=5).verdict == "proved"


def test_a_threshold_past_the_largest_size_proved_is_unknown(tmp_path):
    """`for i < 100` holds for every index when the proof stops at 64 (the cap of the sizes a
    loop's constants ask for), as `for i < 99` does: no proof of either at that bound."""
    path = tmp_path / "cap.c"
    path.write_text("void cap(int n, const int *x, int *y) { for (int i = 0; i < n; i++) y[i] = i < 100 ? x[i] : -x[i]; }")
    got = api.verify(path, "y(i) = -x(i); y(i) = x(i) for i < 99", bound=3)
    assert got.verdict == "unknown" and "i < 99" in got.reason and "bound" in got.reason, got


def test_verifier_refutes_a_variable_without_extent(kernel_dir):
    """`j` only inside an index expression: nothing gives its extent; refuted, not a crash."""
    got = api.verify(kernel_path(kernel_dir, "fir_block"), "y(i) = max(j, x(i+j))")
    assert got.verdict == "refuted" and "extent of j" in got.counterexample["reason"]


def test_short_circuit_logic_in_the_c_is_never_proved_wrongly(tmp_path):
    """`&&` and `||` on array values branch in C; the symbolic run may not follow them (then
    `unknown`, with why), but a near miss is never proved."""
    path = tmp_path / "band.c"
    path.write_text("""
        void band(int n, const int *x, const int *f, int lo, int hi, int *m) {
            for (int i = 0; i < n; i++) m[i] = (x[i] > lo && x[i] <= hi) || !f[i];
        }""")
    got = api.verify(path, "m(i) = x(i) > lo && x(i) <= hi || !f(i)")
    assert got.verdict in ("proved", "unknown"), got
    if got.verdict == "unknown":
        assert "control flow" in got.reason
    for wrong in ("m(i) = x(i) >= lo && x(i) <= hi || !f(i)", "m(i) = x(i) > lo && x(i) <= hi && !f(i)"):
        assert api.verify(path, wrong).verdict in ("refuted", "unknown")


def test_cli_verify_of_extended_programs(kernel_dir, capfd):
    path = kernel_path(kernel_dir, "smooth")
    proc, out = cli_main_json(capfd, "verify", path, KERNELS["smooth"].program)
    assert proc.returncode == 0 and out["verdict"] == "proved", proc.stderr
    proc, out = cli_main_json(capfd, "verify", path, "b(i) = a(i-1) + a(i) + a(i+1) for i >= 2 && i < n-1")
    assert proc.returncode == 1 and out["verdict"] == "refuted"
    cex = out["counterexample"]
    assert cex["expected"]["b"] != cex["got"]["b"]
