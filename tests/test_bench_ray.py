"""`tensorlift bench --executor ray`: each kernel a Ray task, with the same results as the
local executor, on a local Ray instance that the test starts itself (Ray is an optional
extra: skipped when missing, a failure under CI=true).

The kernels are tests/data/batch. With the faulty worker of test_batch.py they really
crash, hang and exhaust the memory of the process that lifts them; a Ray task must contain
that as the local executor does, and report it in the same words."""
from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import need
from test_batch import DATA, FAULTS, GOOD, REPO, faulty_worker
from tensorlift.bench.runner import run_batch


def outcome(records: list[dict]) -> dict:
    """What must not depend on the executor: each kernel's status, error and program."""
    return {(os.path.relpath(r["file"], DATA), r["function"]): (r["status"], r["error"], r["program"])
            for r in records}


@pytest.fixture
def ray_cluster():
    """A local Ray instance of two CPUs, started by the test; yields its address."""
    ray = need("ray")
    os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
    ray.init(address="local", num_cpus=2, include_dashboard=False, log_to_driver=False, logging_level=logging.ERROR,
             object_store_memory=128 << 20)
    try:
        yield ray.get_runtime_context().gcs_address
    finally:
        ray.shutdown()


@pytest.mark.slow
def test_ray_tasks_give_what_local_workers_give(ray_cluster, tmp_path):
    """One Ray instance for all of it (starting one takes seconds)."""
    # 1. Kernels that crash, hang or exhaust the memory of the process lifting them.
    command = faulty_worker(tmp_path)
    kw = dict(jobs=2, timeout=3, grace=2, worker_command=command)
    local = run_batch([DATA], **kw)
    on_ray = run_batch([DATA], executor="ray", reports=[tmp_path / "ray.json"], **kw)
    assert on_ray.executor == "ray"
    assert outcome(on_ray.records) == outcome(local.records)
    by_fn = {r["function"]: r for r in on_ray.records}
    for fn, error in FAULTS.items():
        assert (by_fn[fn]["status"], by_fn[fn]["error"]) == ("error", error)
    for fn in ("dot", "gemv"):
        assert (by_fn[fn]["status"], by_fn[fn]["program"]) == ("lifted", GOOD[fn])
    assert json.loads((tmp_path / "ray.json").read_text()) == on_ray.records

    # 2. The real workers: a Ray worker keeps its tensorlift worker warm between tasks
    # (six kernels, none of which harms its worker, on two CPUs).
    local = run_batch([DATA], jobs=2, timeout=20)
    on_ray = run_batch([DATA], jobs=2, timeout=20, executor="ray")
    assert outcome(on_ray.records) == outcome(local.records)
    assert 1 <= on_ray.workers_started < 6

    # 3. The command line, joining the cluster by its address.
    report = tmp_path / "r.html"
    env = dict(os.environ, PYTHONPATH=str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    cmd = [sys.executable, "-m", "tensorlift", "bench", str(DATA), "--timeout", "20", "--report", str(report),
           "--executor", "ray", "--ray-address", ray_cluster]
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=180)
    assert proc.returncode == 0, proc.stderr
    recs = json.loads(Path(str(report) + ".json").read_text())
    assert outcome(recs) == outcome(local.records)
    lines = [ln for ln in proc.stderr.splitlines() if ln.startswith("[")]
    assert len(lines) == 7 and any("lifted" in ln and "dot = a(i) * b(i)" in ln for ln in lines)
    assert report.read_text().count('<tr class="kernel"') == 7
    proc = subprocess.run(cmd + ["--resume"], capture_output=True, text=True, env=env, timeout=180)
    assert proc.returncode == 0 and "7 kernel(s) already in the report were skipped" in proc.stderr


@pytest.mark.slow
def test_cli_starts_its_own_local_instance(tmp_path):
    need("ray")
    report = tmp_path / "r.json"
    env = dict(os.environ, PYTHONPATH=str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    proc = subprocess.run([sys.executable, "-m", "tensorlift", "bench", str(DATA / "dot.c"),
                           str(DATA / "broken" / "segfault.c"), "--jobs", "1", "--timeout", "20",
                           "--report", str(report), "--executor", "ray"],
                          capture_output=True, text=True, env=env, timeout=180)
    assert proc.returncode == 0, proc.stderr
    assert [(r["function"], r["status"]) for r in json.loads(report.read_text())] == \
        [("dot", "lifted"), ("crash", "error")]
    assert "Traceback" not in proc.stderr


@pytest.mark.slow
def test_a_node_without_the_file_lifts_the_text_it_was_sent(tmp_path):
    """What a Ray task does on a machine that cannot see the kernel's file (no Ray needed:
    the task is a plain function, run here with a real worker)."""
    from tensorlift.bench import ray_executor
    from tensorlift.bench.runner import Settings
    text = (DATA / "dot.c").read_bytes()
    request = {"file": str(tmp_path / "elsewhere" / "dot.c"), "function": "dot", "timeout": 20.0,
               "guide": "auto", "require_proof": False, "flags": [], "language": None}
    try:
        rec, seconds, spawned = ray_executor.lift_task(request, Settings(timeout=20), None, text)
        assert (rec["status"], rec["program"], spawned) == ("lifted", GOOD["dot"], 1)
        rec, _, spawned = ray_executor.lift_task(request, Settings(timeout=20), None, None)
        assert rec["status"] == "error" and "no such file" in rec["error"] and spawned == 0   # warm
    finally:
        ray_executor._SLOT.close()
        ray_executor._SLOT = None
