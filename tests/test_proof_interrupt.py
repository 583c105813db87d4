"""Interrupts and time during proofs (issue 17, point 4): Ctrl-C stops a proof within a
second (exit 130, no traceback), a proof shares the lift's time limit, and a long proof says
what it is proving on a terminal."""
import json
import os
import pty
import select
import signal
import subprocess
import sys
import threading
import time

import pytest
import z3
from helpers import ROOT, cli_main_json, write_kernel

from tensorlift.verify.facts import interruptible_check

# rows resized one by one: the proof by induction does not cover them yet, so the bounded
# proof runs, for minutes at --bound 60
ROWS = """
    #include <vector>
    using namespace std;
    vector<vector<float>> blend(const vector<vector<float>>& base, const vector<vector<float>>& active) {
        vector<vector<float>> out(base.size());
        for (size_t i = 0; i < base.size(); i++) {
            out[i].resize(base[i].size());
            for (size_t j = 0; j < base[i].size(); j++)
                out[i][j] = base[i][j] + 2.0f * active[i][j];
        }
        return out;
    }"""


def pigeonhole(n: int) -> z3.Solver:
    """n + 1 pigeons in n holes: unsatisfiable, and hard for a solver at n = 11."""
    p = [[z3.Bool(f"p{i}_{j}") for j in range(n)] for i in range(n + 1)]
    s = z3.Solver()
    for row in p:
        s.add(z3.Or(row))
    for j in range(n):
        for a in range(n + 1):
            for b in range(a + 1, n + 1):
                s.add(z3.Or(z3.Not(p[a][j]), z3.Not(p[b][j])))
    return s


def test_ctrl_c_interrupts_the_solver():
    """z3 would take the signal itself and answer "unknown"; the proof would go on."""
    old = signal.signal(signal.SIGINT, signal.default_int_handler)   # even when started with SIGINT ignored
    timer = threading.Timer(0.5, lambda: os.kill(os.getpid(), signal.SIGINT))
    try:
        start = time.monotonic()
        timer.start()
        with pytest.raises(KeyboardInterrupt):
            interruptible_check(pigeonhole(11))
        assert time.monotonic() - start < 1.5
    finally:
        timer.cancel()
        signal.signal(signal.SIGINT, old)


@pytest.mark.slow
def test_ctrl_c_during_a_proof_exits_130_at_once(tmp_path):
    """A real SIGINT to a real `tensorlift lift` whose proof runs for minutes, sent once its
    progress line says it is proving (stderr is a terminal)."""
    path = write_kernel(tmp_path, ROWS, "blend.cpp")
    master, slave = pty.openpty()
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    # the child takes SIGINT as a terminal's foreground job does, even where this process was
    # started with it ignored (a handler here is the default after exec; an ignored signal stays ignored)
    old = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        proc = subprocess.Popen([sys.executable, "-m", "tensorlift", "lift", str(path), "--bound", "60"],
                                stdout=subprocess.PIPE, stderr=slave, env=env)
    finally:
        signal.signal(signal.SIGINT, old)
    os.close(slave)
    seen = b""
    deadline = time.monotonic() + 60
    try:
        while b"proving" not in seen and time.monotonic() < deadline:
            ready, _, _ = select.select([master], [], [], 0.5)
            if ready:
                seen += os.read(master, 4096)
        assert b"proving blend at sizes" in seen, seen
        start = time.monotonic()
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=30)
        elapsed = time.monotonic() - start
        while True:
            ready, _, _ = select.select([master], [], [], 0.2)
            if not ready:
                break
            try:
                chunk = os.read(master, 4096)
            except OSError:
                break
            if not chunk:
                break
            seen += chunk
    finally:
        if proc.poll() is None:
            proc.kill()
        os.close(master)
    assert proc.returncode == 130 and elapsed < 1.0, (proc.returncode, elapsed)
    assert b"interrupted" in seen and b"Traceback" not in seen
    assert proc.stdout.read() == b""


@pytest.mark.slow
def test_a_proof_shares_the_lifts_time_limit(tmp_path, capfd):
    path = write_kernel(tmp_path, ROWS, "blend.cpp")
    start = time.monotonic()
    proc, out = cli_main_json(capfd, "lift", path, "--bound", "60", "--timeout", "6")
    assert time.monotonic() - start < 6 + 4        # the process's start and exit around it
    assert out["status"] == "lifted" and out["verification"] == "unknown"
    assert "time limit reached after" in out["verification_reason"]
    assert "proving" not in proc.stderr             # no progress line when stderr is no terminal
    assert json.loads(json.dumps(out))["verification_scope"] is None
