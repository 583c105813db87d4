"""The pipeline as the Python API sees it (issue 20, point 4): one options object checked
once, the front end run once per lift, the default target chosen and its code emitted by
the pipeline (as the CLI shows it), and no import cycles in the package."""
from __future__ import annotations

import importlib.util

import pytest
from helpers import ROOT

import tensorlift
from tensorlift.c import roles
from tensorlift.errors import TensorliftError
from tensorlift.pipeline import LiftOptions, default_targets, lift

GEMV = ROOT / "corpus" / "blas" / "gemv.c"
DOWNSAMPLE = ROOT / "corpus" / "dsp" / "downsample2.c"      # x(2*i): beyond plain TACO


def _imports_script():
    spec = importlib.util.spec_from_file_location("imports_script", ROOT / "scripts" / "imports.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_no_import_cycle_and_few_imports_inside_functions():
    script = _imports_script()
    edges, inner, heavy = script.scan()
    assert script.cycles(edges) == []
    counted = [i for i in inner if i[2] not in heavy]
    assert len(counted) <= script.LIMIT, counted


def test_the_counter_sees_a_cycle_through_an_import_inside_a_function(tmp_path):
    pkg = tmp_path / "tensorlift"
    (pkg / "sub").mkdir(parents=True)
    (pkg / "__init__.py").write_text("")
    (pkg / "sub" / "__init__.py").write_text("")
    (pkg / "sub" / "a.py").write_text("from .b import x\n")
    (pkg / "sub" / "b.py").write_text("x = 1\n\ndef f():\n    from . import a\n    return a\n")
    (pkg / "c.py").write_text("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from .sub import a\n")
    script = _imports_script()
    edges, inner, _ = script.scan(pkg)
    assert script.cycles(edges) == [["tensorlift.sub.a", "tensorlift.sub.b"]]
    assert inner == [("tensorlift.sub.b", 4, "tensorlift.sub.a")]
    assert edges["tensorlift.c"] == set()          # a TYPE_CHECKING import never runs


@pytest.mark.parametrize("options, message", [
    ({"guide": "psychic"}, "unknown guide 'psychic'"),
    ({"enumerator": "sideways"}, "unknown enumerator 'sideways'"),
    ({"verify": "always"}, "unknown verification 'always'"),
    ({"require_proof": "forever"}, "unknown proof scope 'forever'"),
    ({"targets": ["numpy", "fortran"]}, "unknown target 'fortran'"),
])
def test_options_are_checked_before_any_work(options, message):
    with pytest.raises(TensorliftError, match=message):
        LiftOptions(**options)
    with pytest.raises(TensorliftError, match=message):
        lift("no such file.c", **options)        # the options fail first, not the missing file


def test_an_unknown_keyword_is_a_type_error():
    with pytest.raises(TypeError, match="unexpected keyword argument 'timeuot'"):
        tensorlift.lift(GEMV, timeuot=5)


def test_the_api_emits_the_default_target_as_the_cli_does():
    r = tensorlift.lift(GEMV, timeout=60)
    assert r.status == "lifted" and r.targets == ["taco"]
    assert r.code["taco"].strip().endswith("y(i) = A(i,j) * x(j)") and not r.code_errors
    r = lift(DOWNSAMPLE, timeout=60)
    assert str(r.program) == "y(i) = x(2*i)" and r.targets == ["numpy"] == default_targets(r.program)
    assert "def downsample2(" in r.code["numpy"]
    r = lift(DOWNSAMPLE, timeout=60, targets=())
    assert r.status == "lifted" and r.targets == [] and r.code == {}


def test_a_plain_target_asks_for_a_plain_program():
    assert LiftOptions(targets=["numpy", "tensora"]).plain_only and not LiftOptions(targets=["jax"]).plain_only
    r = lift(DOWNSAMPLE, timeout=5, targets=["taco"], verify="none")     # may find none: it is beyond TACO
    assert r.status != "lifted" or all(st.plain for st in r.program.statements)


def test_the_front_end_runs_once_per_lift(monkeypatch):
    calls = []
    flows = roles.analyse_flows

    def counted(kernel, slots):
        calls.append(kernel.name)
        return flows(kernel, slots)
    monkeypatch.setattr(roles, "analyse_flows", counted)
    r = lift(GEMV, timeout=60, targets=())
    assert r.status == "lifted"
    assert calls == ["gemv"]


def test_why_not_lifted_is_the_json_searched():
    r = lift(GEMV, timeout=60, verify="none", require_proof=True, targets=())
    assert r.status == "failed" and "--require-proof bounded" in r.why_not_lifted
    assert r.to_json()["searched"] == r.why_not_lifted and r.code == {}
