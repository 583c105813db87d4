"""`--require-proof SCOPE` (issue 17, point 5): `all-sizes` fails (exit 1) unless the program
is proved for every size; a plain `--require-proof` takes any proof; a kernel of fixed sizes,
proved at them, is proved for every size it has."""
import json

import pytest
from helpers import CORPUS, cli, cli_main, cli_main_json, write_kernel

UNROLLED_DOT = """
    float sdot4(const float *x, const float *y, int n) {
        float s = 0.0f;
        int i = 0;
        for (; i + 4 <= n; i += 4) s += x[i]*y[i] + x[i+1]*y[i+1] + x[i+2]*y[i+2] + x[i+3]*y[i+3];
        for (; i < n; i++) s += x[i]*y[i];
        return s;
    }"""


@pytest.mark.slow
def test_require_proof_all_sizes_takes_only_a_proof_for_every_size(tmp_path, capfd):
    path = write_kernel(tmp_path, UNROLLED_DOT)
    proc, out = cli_main_json(capfd, "lift", path)
    assert out["verification"] == "proved"
    proc, strict = cli_main_json(capfd, "lift", path, "--require-proof", "all-sizes")
    if out["verification_scope"] == "all-sizes":
        assert proc.returncode == 0 and strict["status"] == "lifted"
    else:
        assert proc.returncode == 1 and strict["status"] == "failed"
        assert strict["searched"] == (f"found {out['program']} but it is proved for sizes up to "
                                      f"{out['verification_bound']} only; --require-proof all-sizes")
        assert "--require-proof all-sizes" in cli_main(capfd, "lift", path, "--require-proof", "all-sizes").stderr
    for plain in (["--require-proof"], ["--require-proof", "bounded"]):
        proc, loose = cli_main_json(capfd, "lift", path, *plain)
        assert proc.returncode == 0 and loose["status"] == "lifted"


@pytest.mark.slow
def test_a_kernel_of_fixed_sizes_meets_all_sizes(capfd):
    proc, out = cli_main_json(capfd, "lift", CORPUS / "cpp" / "saxpy8.cpp", "--require-proof", "all-sizes")
    assert proc.returncode == 0 and out["status"] == "lifted" and out["verification_scope"] == "fixed-sizes"


@pytest.mark.slow
def test_an_unknown_scope_is_bad_input(tmp_path, capfd):
    proc = cli_main(capfd, "lift", write_kernel(tmp_path, UNROLLED_DOT), "--require-proof", "some")
    assert proc.returncode == 2 and "unknown require-proof 'some' (choose from all-sizes, bounded)" in proc.stderr


@pytest.mark.slow
def test_bench_takes_the_scope_too(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    write_kernel(src, UNROLLED_DOT)
    report = tmp_path / "r.json"
    proc = cli("bench", src, "--jobs", "1", "--require-proof", "all-sizes", "--report", report)
    assert proc.returncode == 0, proc.stderr
    rec, = json.loads(report.read_text())
    assert (rec["status"] == "lifted") == (rec["verification_scope"] == "all-sizes"), rec
    if rec["status"] == "failed":
        assert rec["searched"].endswith("--require-proof all-sizes")
