"""Speedup measurement: the -O2 C against the emitted targets, at small sizes to stay fast."""
from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import numpy as np
import pytest
from helpers import cli_main_json

from tensorlift.c.analysis import analyze
from tensorlift.errors import TensorliftError
from tensorlift.c.examples import make_case, run_harness, sample_sizes
from tensorlift.c.harness import start_build
from tensorlift.pipeline import lift
from tensorlift.backends.speedup import SpeedupReport, choose_sizes, measure_speedup
from tensorlift.taco.parse import parse_program

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
TARGETS = ["numpy"] + [t for t in ("torch", "jax") if importlib.util.find_spec(t) is not None]
SMALL = 10_000      # elements of the largest array: vectors of 10^4, 100 x 100 matrices

_lifted: dict = {}


def lifted(name: str, function: str):
    if name not in _lifted:
        path = CORPUS / name if "." in name else CORPUS / f"{name}.c"
        r = lift(path, function, verify="none", timeout=60)
        assert r.status == "lifted", r.why_not_lifted
        _lifted[name] = r
    return _lifted[name]


@pytest.mark.parametrize("name,function", [
    ("blas/gemv", "gemv"),                 # matrix-vector, float
    ("blas/dot", "dot"),                   # a returned value
    ("darknet/axpy_cpu", "axpy_cpu"),      # a readwrite array
    ("dsp/vadd", "vadd"),                  # integers
    ("polybench/2mm", "kernel_2mm"),       # two statements, a temporary
    ("cpp/darken_blend_8.cpp", "darken_blend_8"),   # C++ vectors: sizes come with them
])
def test_report_fields_and_matches(name, function):
    rep = measure_speedup(lifted(name, function), TARGETS, size=SMALL, repeats=2)
    assert isinstance(rep, SpeedupReport)
    assert rep.c_seconds > 0
    assert rep.sizes and all(v > 0 for v in rep.sizes.values())
    assert 0 < rep.elements <= SMALL
    assert set(rep.targets) == set(TARGETS)
    for t, entry in rep.targets.items():
        assert entry["matches"] is True, (t, entry)
        assert entry["seconds"] > 0
        assert entry["speedup"] == pytest.approx(rep.c_seconds / entry["seconds"])
    table = rep.format_table()
    for t in TARGETS:
        assert t in table
    assert "speedup > 1 means the target is faster than the C" in table
    data = json.loads(json.dumps(rep.to_json()))
    assert data["sizes"] == rep.sizes and data["c_seconds"] == rep.c_seconds
    assert set(data["targets"]) == set(TARGETS)


def test_realistic_sizes():
    # the largest array near 10^6 elements; a contraction capped at 10^9 multiply-adds
    assert choose_sizes(lifted("blas/gemv", "gemv").analysis,
                        lifted("blas/gemv", "gemv").program) == {"M": 1000, "N": 1000}
    assert choose_sizes(lifted("dsp/vadd", "vadd").analysis, None) == {"n": 1_000_000}
    r = lifted("polybench/2mm", "kernel_2mm")
    s = choose_sizes(r.analysis, r.program)           # two products of s^3: s^3 <= 5e8
    assert set(s.values()) == {793}
    r = lifted("taco/mttkrp", "compute")               # a 3-D operand: 100^3
    assert set(choose_sizes(r.analysis, r.program).values()) == {100}
    r = lifted("blas/gemm", "gemm")
    assert set(choose_sizes(r.analysis, r.program, size=10_000).values()) == {100}
    assert set(choose_sizes(r.analysis, r.program, max_work=1e6).values()) == {100}


def test_tied_sizes_stay_tied():
    r = lifted("simple/tied_square", "tied_square")
    assert r.analysis.ties
    s = choose_sizes(r.analysis, r.program, size=SMALL)
    assert len(set(s[d] for d in r.analysis.dims)) == 1


def test_macro_sizes_scale_like_dimensions():
    """`#define N 6` sizes are varied like size parameters: the C is compiled at the size timed."""
    r = lifted("utdsp/mult", "mult")
    rep = measure_speedup(r, ["numpy"], size=SMALL, repeats=1)
    assert set(rep.sizes) == {"N", "M", "P"} and len(set(rep.sizes.values())) == 1
    assert rep.sizes["N"] > 6 and rep.elements <= SMALL
    assert rep.c_seconds > 0 and rep.targets["numpy"]["matches"]


def test_wrong_program_is_marked():
    r = lifted("blas/gemv", "gemv")
    bad = type(r)(**{**r.__dict__, "program": parse_program("y(i) = A(i,j) * x(j) + 1")})
    rep = measure_speedup(bad, ["numpy"], size=SMALL, repeats=1)
    assert rep.targets["numpy"]["matches"] is False
    assert "NO" in rep.format_table()


def test_target_errors_are_reported():
    rep = measure_speedup(lifted("dsp/vadd", "vadd"), ["taco", "nonsense", "numpy"],
                          size=1000, repeats=1)
    for t in ("taco", "nonsense"):
        assert rep.targets[t]["seconds"] is None and rep.targets[t]["error"]
        assert rep.targets[t]["matches"] is False
    assert rep.targets["numpy"]["matches"]
    assert "error" in rep.format_table()


def test_not_lifted_raises():
    r = lifted("dsp/vadd", "vadd")
    failed = type(r)(**{**r.__dict__, "status": "failed", "program": None})
    with pytest.raises(TensorliftError):
        measure_speedup(failed, ["numpy"], size=SMALL)


def test_timing_leaves_the_outputs_alone():
    """One harness serves examples and timing: asked to time, it prints the same outputs
    (the first call's, before the timed batches) and the time on stderr."""
    a = analyze(CORPUS / "darknet/axpy_cpu.c", "axpy_cpu")
    case = make_case(a, sample_sizes(a, 0), np.random.default_rng(0))
    exe = start_build(a.kernel, a.slots).exe()
    plain, err0 = run_harness(exe, a.slots, [case], None)
    timed, err1 = run_harness(exe, a.slots, [case], None, timing=2)
    assert "tensorlift-time" not in err0 and "tensorlift-time" in err1
    for name in plain[0].arrays:
        assert np.array_equal(plain[0].arrays[name], timed[0].arrays[name])


def test_benchmark_script(tmp_path, capsys):
    sys.path.insert(0, str(ROOT))
    from benchmarks.speedup import main
    out = tmp_path / "speedup.json"
    assert main(["dsp/vadd", "blas/dot", "--size", "1000", "--repeats", "1",
                 "--targets", "numpy", "--json", str(out)]) == 0
    text = capsys.readouterr().out
    assert "dsp/vadd" in text and "blas/dot" in text and "numpy" in text
    data = json.loads(out.read_text())
    assert [k["kernel"] for k in data["kernels"]] == ["dsp/vadd", "blas/dot"]
    assert all(k["targets"]["numpy"]["matches"] for k in data["kernels"])


def test_cli_speedup_option(capfd):
    proc, out = cli_main_json(capfd, "lift", CORPUS / "dsp/vadd.c", "--speedup", "--target", "numpy")
    assert proc.returncode == 0, proc.stderr
    sp = out["speedup"]
    assert sp["c_seconds"] > 0 and sp["targets"]["numpy"]["matches"] is True
