"""The notation beyond plain TACO end to end: the CLI lifts one file of such kernels, proves
each program and emits every array target; the lifted programs agree with the right ones at
sizes beyond the proof's bound."""
from __future__ import annotations

import json
import re

import numpy as np
import pytest
from extended_kernels import KERNELS, assert_vectorised
from helpers import cli

from tensorlift import api, carith
from tensorlift.backends import check_emitted
from tensorlift.synth.check import dtypes_of
from tensorlift.taco.evaluate import evaluate
from tensorlift.taco.parse import parse_program

ARRAY_TARGETS = ("numpy", "torch", "jax")

CLI_KERNELS = {                  # function -> the programs a lift may give (None: any proved one)
    "rowmax": ("r(i) = max(j, A(i,j))", "r(i) = max(A(i,j))"),
    "burn": ("out(i) = where(active(i) == 0, 255, 255 - (255 - base(i)) / active(i))",),
    "fir_block": None, "softmax2": None, "smooth": None, "multiply8": None, "relu_gemv": None,
    "downsample": ("y(i) = x(2*i) - x(2*i+2)",),
    # the translation once proposed `... for j <= 5`: true up to the bound, wrong beyond it
    "center": ("B(i,j) = A(i,j) - max(k, A(i,k))",),
    "lower": ("C(i,j) = A(i,j) for j <= i", "C(i,j) = A(i,j) for i >= j"),
}


@pytest.mark.slow
def test_cli_lift_proves_and_emits_every_array_target(tmp_path):
    """One file with several kernels (one process: start-up is most of a lift's time)."""
    text = "#include <math.h>\n#include <stdint.h>\n" + "\n".join(
        re.sub(r"#include <\w+\.h>", "", KERNELS[name].c) for name in CLI_KERNELS)
    path = tmp_path / "many.c"
    path.write_text(text)
    proc = cli("lift", path, "--target", "numpy,torch,jax", "--json")
    assert proc.returncode == 0, proc.stderr
    results = {r["function"]: r for r in map(json.loads, proc.stdout.splitlines())}
    assert set(results) == set(CLI_KERNELS)
    for name, programs in CLI_KERNELS.items():
        out = results[name]
        assert out["status"] == "lifted" and out["verification"] == "proved", out
        if programs is not None:
            assert parse_program(out["program"]) in [parse_program(p) for p in programs], out["program"]
        assert set(out["code"]) == set(ARRAY_TARGETS)
        res = api.analyze(path, name, examples=2, seed=1)
        lifted = parse_program(out["program"])
        for target, source in out["code"].items():
            assert_vectorised(source)
            check_emitted(target, source, res.signature, res.examples)
        # beyond the proof's bound: the lifted program and ours agree at larger sizes
        big = _larger_example(res, name)
        want = evaluate(parse_program(KERNELS[name].program), *big)
        got = evaluate(lifted, *big)
        for o in res.signature.outputs:
            assert np.allclose(np.asarray(got[o], dtype=float), np.asarray(want[o], dtype=float)), (name, out["program"])


def _larger_example(res, name, scale=3):
    """An environment at sizes several times the examples' (7 and more), random inputs."""
    sig = res.signature
    ex = res.examples[0]
    rng = np.random.default_rng(5)
    sizes = {k: v * scale for k, v in ex.sizes.items()}
    env = {}
    for p in sig.params:
        if p.kind == "scalar":
            env[p.name] = sizes[p.name] if p.name in sizes else ex.inputs[p.name]
            continue
        shape = tuple(int(eval(e, {}, dict(sizes))) for e in p.shape)
        v = rng.integers(-5, 6, size=shape) if p.dtype not in ("uint8",) else rng.integers(0, 256, size=shape)
        env[p.name] = v.astype(np.int64) if carith.is_int(p.dtype) else v / 2
    if "active" in env:
        env["active"][::2] = 0
    return env, dtypes_of(sig)
