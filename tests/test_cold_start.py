"""The cold start of `tensorlift lift`: on an empty cache the harness compilers start before
NumPy and z3 are imported (the compile overlaps the imports), and the program's output is
complete although it exits without tearing its modules down. How fast it is, is measured by
benchmarks/speed.py, not here."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest
from helpers import ROOT

SPY = """
import json, sys
import tensorlift.c.harness as harness
seen = {}
start = harness._start_compile

def spy(*args, **kw):                   # records what is imported when the compilers start
    seen.update(numpy="numpy" in sys.modules, z3="z3" in sys.modules)
    return start(*args, **kw)

harness._start_compile = spy
from tensorlift.cli import main
code = main(["lift", "corpus/blas/gemv.c", "--json"])
print(json.dumps({**seen, "code": code}))
"""


@pytest.mark.slow
def test_the_compile_starts_before_numpy_and_z3_load(tmp_path):
    env = {"PATH": "/usr/bin:/bin", "TENSORLIFT_CACHE_DIR": str(tmp_path / "cache")}
    proc = subprocess.run([sys.executable, "-c", SPY], capture_output=True, text=True, cwd=ROOT, env=env,
                          timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    lifted, seen = (json.loads(line) for line in proc.stdout.splitlines()[-2:])
    assert lifted["status"] == "lifted"
    assert seen == {"numpy": False, "z3": False, "code": 0}


@pytest.mark.slow
def test_output_is_whole_when_the_program_exits_at_once(tmp_path):
    env = {"PATH": "/usr/bin:/bin", "TENSORLIFT_CACHE_DIR": str(tmp_path / "cache")}
    proc = subprocess.run([sys.executable, "-m", "tensorlift", "lift", "corpus/blas/gemv.c", "--timeout", "-5"],
                          capture_output=True, text=True, cwd=ROOT, env=env, timeout=300)
    assert proc.returncode == 2 and proc.stdout == ""       # a usage error, one line
    assert proc.stderr.count("\n") == 1
    proc = subprocess.run([sys.executable, "-m", "tensorlift", "lift", "corpus/blas/gemv.c", "--target", "numpy"],
                          capture_output=True, text=True, cwd=ROOT, env=env, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("y(i) = A(i,j) * x(j)\n") and proc.stdout.rstrip().endswith(
        "return _to_c(y, y_buffer, np.float32)")
