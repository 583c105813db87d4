"""`tensorlift analyze` as a user calls it, and every kind of bad input."""
import json
import os

import pytest

from helpers import BAD, CORPUS, cli, cli_main, cli_main_json, write_kernel


def test_json_has_the_contract_fields(capfd):
    proc, out = cli_main_json(capfd, "analyze", CORPUS / "blas/gemm_strided.c", "--examples", "4")
    assert proc.returncode == 0, proc.stderr
    assert set(out) == {"function", "params", "returns", "tied_sizes", "examples"}
    params = {p["name"]: p for p in out["params"]}
    assert params["A"] == {"name": "A", "kind": "array", "dtype": "float", "access": "read", "shape": ["M", "K"]}
    assert params["C"]["access"] == "readwrite"
    assert params["lda"]["role"] == "stride" and params["ALPHA"]["role"] == "value"
    assert len(out["examples"]) == 4
    ex = out["examples"][0]
    assert set(ex) == {"sizes", "inputs", "outputs"}
    sizes = ex["sizes"]
    assert len(set(sizes.values())) == len(sizes), "sizes are distinct so no index order passes by symmetry"
    assert ex["inputs"]["lda"] == sizes["K"], "strides are set to the dense row length"
    assert len(ex["outputs"]["C"]) == sizes["M"] and len(ex["outputs"]["C"][0]) == sizes["N"]


def test_examples_have_negatives_and_zeros(capfd):
    proc, out = cli_main_json(capfd, "analyze", CORPUS / "dsp/vadd.c", "--examples", "6")
    values = [v for ex in out["examples"] for name, arr in ex["inputs"].items() if isinstance(arr, list) for v in arr]
    assert any(v < 0 for v in values) and any(v == 0 for v in values)


def test_outputs_come_from_the_compiled_c(tmp_path, capfd):
    # C's int division truncates toward zero; the examples must show it
    k = write_kernel(tmp_path, "void q(int n, int *a, int *b, int *c) { for (int i = 0; i < n; i++) c[i] = a[i] / b[i]; }")
    proc, out = cli_main_json(capfd, "analyze", k, "--examples", "6")
    assert proc.returncode == 0, proc.stderr
    for ex in out["examples"]:
        a, b, c = ex["inputs"]["a"], ex["inputs"]["b"], ex["outputs"]["c"]
        assert 0 not in b, "denominators are never zero"
        assert c == [int(x / y) for x, y in zip(a, b)]


def test_returned_value_and_readable_summary(capfd):
    proc, out = cli_main_json(capfd, "analyze", CORPUS / "simple/array_sum.c")
    assert out["returns"] == {"dtype": "int"} or out["returns"]["dtype"] in ("float", "double")
    assert out["function"] in out["examples"][0]["outputs"]
    text = cli_main(capfd, "analyze", CORPUS / "simple/tied_square.c")
    assert text.returncode == 0
    assert "tied sizes: M = N" in text.stdout and "shape [M, M]" in text.stdout


def test_function_option_picks_a_function(tmp_path, capfd):
    k = write_kernel(tmp_path, """
        void first(int n, float *x) { for (int i = 0; i < n; i++) x[i] = 0; }
        float second(int n, float *x) { float s = 0; for (int i = 0; i < n; i++) s += x[i]; return s; }""")
    proc = cli_main(capfd, "analyze", k, "--json", "--examples", "0")        # default: every kernel, one line each
    assert [json.loads(line)["function"] for line in proc.stdout.splitlines()] == ["first", "second"]
    assert cli_main_json(capfd, "analyze", k, "--function", "first")[1]["function"] == "first"


def _one_line_error(proc, code=2, contains=""):
    assert proc.returncode == code, (proc.stdout, proc.stderr)
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    assert contains in lines[0], lines[0]
    return lines[0]


@pytest.mark.parametrize("name,contains", [
    ("syntax_error.c", "parse error"),
    ("goto.c", "goto"),
    ("no_function.c", "no function"),
    ("recursive.c", "recursive call"),
    ("infinite_loop.c", "did not finish"),
    ("huge_alloc.c", "malloc"),
    ("segfault.c", ""),
    ("stack_overflow.c", "larger than tensorlift handles"),
])
def test_bad_kernels_give_one_line_and_exit_2(name, contains, capfd):
    _one_line_error(cli_main(capfd, "analyze", BAD / name), contains=contains)


def test_missing_file_and_function(capfd):
    _one_line_error(cli_main(capfd, "analyze", "no/such/file.c"), contains="no such file")
    _one_line_error(cli_main(capfd, "analyze", CORPUS / "blas/dot.c", "--function", "nope"), contains="'nope' not found")


@pytest.mark.slow
def test_no_c_compiler(tmp_path):
    env = dict(os.environ, PATH=str(tmp_path), CC="")
    _one_line_error(cli("analyze", CORPUS / "blas/dot.c", env=env), contains="no C compiler")


def test_compiled_run_has_a_cpu_time_limit():
    """A 1500^3 product takes several CPU seconds: stopped after one."""
    import numpy as np
    from tensorlift.api import analyze
    from tensorlift.errors import KernelRunError
    from tensorlift.c.examples import make_case, returned_dtype, run_harness
    from tensorlift.c.harness import start_build
    res = analyze(CORPUS / "blas/gemm.c", examples=0)
    a = res.analysis
    case = make_case(a, a.sizes({d: 1500 for d in a.free_dims}), np.random.default_rng(0))
    exe = start_build(a.kernel, a.slots).exe()
    with pytest.raises(KernelRunError, match="did not finish within 1 s"):
        run_harness(exe, a.slots, [case], returned_dtype(a.kernel), time_limit=1)
