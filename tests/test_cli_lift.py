"""`tensorlift lift` on a representative set of the corpus, as a user calls it."""
import pytest

from benchmarks.corpus import load_corpus
from helpers import CORPUS, cli_main, cli_main_json, write_kernel
from tensorlift.api import analyze
from tensorlift.taco.parse import parse_program
from tensorlift.verify.prove import verify

REPRESENTATIVE = [
    "blas/gemm_strided", "blas/gemm_nt", "blas/ger", "blas/dot", "dsp/lms", "dsp/vrecip",
    "dsp/mfill", "darknet/l2_cpu", "dspstone/matrix1", "dspstone/n_real_updates", "mathfu/lerp",
    "mathfu/length_squared", "utdsp/dct", "utdsp/hist_clear", "simple/struct_matvec",
    "simple/tied_transpose", "simple/alpha_nm", "taco/ttv", "taco/mttkrp", "polybench/2mm",
    "polybench/doitgen_out", "utdsp/mult",
]
ENTRIES = {e.name: e for e in load_corpus()}


@pytest.mark.parametrize("name", REPRESENTATIVE)
def test_lifts_and_proves(name, capfd):
    entry = ENTRIES[name]
    proc, out = cli_main_json(capfd, "lift", entry.path, "--function", entry.function, "--timeout", "60")
    assert proc.returncode == 0, proc.stderr
    assert out["status"] == "lifted" and out["error"] is None
    assert out["verification"] == "proved"
    # every corpus kernel is proved for every size, but those whose sizes are fixed and one
    # whose rows are grown one by one (`vector<vector<float>> out(n)`), which is proved up to 3
    fixed = not res_free_dims(entry)
    scope, bound = ("fixed-sizes", None) if fixed else ("bounded", 3) if name in BOUNDED else ("all-sizes", None)
    assert (out["verification_scope"], out["verification_bound"]) == (scope, bound)
    assert out["examples_checked"] >= 6 and out["candidates"] >= 1 and out["seconds"] > 0
    assert out["guide"] == "auto" and out["guidance"] == "static"   # no model configured
    # the expected program of the corpus is proved equivalent to the same C code too
    res = analyze(entry.path, entry.function, examples=0)
    assert verify(res.analysis, parse_program(entry.program)).verdict == "proved"
    assert verify(res.analysis, parse_program(out["program"])).verdict == "proved"


BOUNDED = {"cpp/multiply_blend_f"}


def res_free_dims(entry) -> list:
    return analyze(entry.path, entry.function, examples=0).analysis.free_dims


def test_json_contract_fields(capfd):
    proc, out = cli_main_json(capfd, "lift", CORPUS / "blas/gemv.c")
    for field in ("function", "status", "program", "guide", "candidates", "seconds",
                  "examples_checked", "verification", "error"):
        assert field in out
    assert out["program"] == "y(i) = A(i,j) * x(j)"


def test_plain_output_says_how_it_was_checked(capfd):
    proc = cli_main(capfd, "lift", CORPUS / "mathfu/dot.c")
    assert proc.returncode == 0
    program, how = proc.stdout.strip().splitlines()
    assert program.startswith("dot")
    assert "matches the compiled C on 6 random examples" in how
    assert "proved for all sizes" in how


def test_returned_value_takes_the_function_name(tmp_path, capfd):
    k = write_kernel(tmp_path, "int total(int n, int *v) { int s = 0; for (int i = 0; i < n; i++) s += 3 * v[i]; return s; }")
    proc, out = cli_main_json(capfd, "lift", k)
    assert out["program"] == "total = 3 * v(i)"


def test_not_expressible_exits_1_and_says_what_it_searched(tmp_path, capfd):
    k = write_kernel(tmp_path, "void x(int n, int *a, int *b) { for (int i = 0; i < n; i++) b[i] = a[i] ^ 5; }")
    proc, out = cli_main_json(capfd, "lift", k, "--timeout", "3")
    assert proc.returncode == 1
    assert out["status"] == "failed" and out["program"] is None
    proc = cli_main(capfd, "lift", k, "--timeout", "2")
    assert proc.returncode == 1 and "candidates" in proc.stderr and proc.stdout == ""


def test_bad_input_in_json_mode(capfd):
    proc, out = cli_main_json(capfd, "lift", "missing.c")
    assert proc.returncode == 2
    assert out["status"] == "error" and "no such file" in out["error"]


def test_guide_none_also_lifts_simple_kernels(capfd):
    proc, out = cli_main_json(capfd, "lift", CORPUS / "dsp/vadd.c", "--guide", "none")
    assert out["status"] == "lifted" and out["guide"] == "none"


def test_python_api_accepts_source_text():
    import tensorlift
    r = tensorlift.lift("void neg(int n, double *a, double *b) { for (int i = 0; i < n; i++) b[i] = -a[i]; }")
    assert r.status == "lifted" and str(r.program) == "b(i) = -a(i)"
    assert r.to_json()["verification"] == "proved"
