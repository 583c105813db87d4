"""`tensorlift bench`: discovery, warm isolated workers, progress, reports, resume, and
the HTML page in a real headless browser.

The kernels are in tests/data/batch: three good ones (dot, vadd, blas/gemv) and broken
ones (syntax error, NULL write, endless loop, 64 GiB allocation). The pipeline itself
catches what the broken ones do (it interprets the C under a step limit); to check that a
worker which really crashes, hangs or runs out of memory is contained, a wrapper worker
(FAULTY_WORKER, shared with test_bench_ray.py) makes the real worker do exactly that for
those kernels.
"""
from __future__ import annotations

import csv
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tensorlift.bench import runner as batch
from tensorlift.bench.slot import classify_exit
from tensorlift.bench.sources import find_sources, kernel_functions, list_jobs
from tensorlift.c.flags import BuildFlags
from tensorlift.errors import TensorliftError
from tensorlift.bench.records import BASE_FIELDS, SourceCache, extract_function, percentile, summarize
from tensorlift.bench.report import read_report, render_csv, sidecar, write_report
from tensorlift.bench.page import cactus_svg, render_html

DATA = Path(__file__).parent / "data" / "batch"
REPO = Path(__file__).resolve().parent.parent
GOOD = {"dot": "dot = a(i) * b(i)", "vadd": "out(i) = x(i) + y(i)", "gemv": "y(i) = A(i,j) * x(j)"}
BROKEN = {  # function (None: the file does not parse) -> what its error must say
    None: r"parse",
    "crash": r"null|SIGSEGV|crash",
    "forever": r"did not finish|timed out",
    "hog": r"malloc|memory",
}
CHROMIUM = "/usr/bin/chromium"


def run_bench(*args, cwd=None, timeout=120, **kw):
    env = dict(os.environ, PYTHONPATH=str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    return subprocess.run([sys.executable, "-m", "tensorlift.bench.runner", *map(str, args)], cwd=cwd,
                          capture_output=True, text=True, timeout=timeout, env=env, **kw)


def key(rec):
    return (Path(rec["file"]).name, rec["function"])


@pytest.fixture(scope="module")
def full_run(tmp_path_factory):
    """One batch over every test kernel, with all three reports."""
    out = tmp_path_factory.mktemp("bench")
    start = time.monotonic()
    proc = run_bench(DATA, "--timeout", 20, "--jobs", 2, "--report", out / "r.json",
                     "--report", out / "r.csv", "--report", out / "r.html")
    return proc, out, time.monotonic() - start


# ---------------------------------------------------------------- discovery


def test_find_sources_is_recursive_sorted_and_skips_hidden(tmp_path):
    for rel in ("b.c", "a/z.c", "a/b.c", ".git/x.c", "a/.y.c", "notes.txt", "k.h", "m.cc", "a/n.cpp",
                "o.cxx", "p.C", "dir.c/q.c"):
        p = tmp_path / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text("")
    found = [p.relative_to(tmp_path).as_posix() for p in find_sources([tmp_path])]
    assert found == ["a/b.c", "a/n.cpp", "a/z.c", "b.c", "dir.c/q.c", "m.cc", "o.cxx"]
    # a file named twice (and through its directory) is listed once
    assert len(find_sources([tmp_path / "b.c", tmp_path])) == 7
    with pytest.raises(TensorliftError, match="no such file"):
        find_sources([tmp_path / "missing"])


def test_kernel_candidates(tmp_path):
    assert [n for n, _ in kernel_functions(DATA / "vadd.c")] == ["vadd"]   # not the helper
    src = tmp_path / "k.c"
    src.write_text("""
typedef float *vec;
struct mat { int n; float *vals; };
int sum_to(int n) { int s = 0; for (int i = 0; i < n; i++) s += i; return s; }  /* no pointer */
void fill(float *a, int n) { a[0] = n; }                                        /* no loop: still writes an array */
void scale(vec a, int n) { for (int i = 0; i < n; i++) a[i] *= 2; }             /* typedef'd */
void clear(struct mat *m) { int i = 0; while (i < m->n) { m->vals[i] = 0; i++; } }
void twod(int n, int A[4][4]) { int i = 0; do { A[i][i] = 1; } while (++i < n); }
""")
    names = [n for n, _ in kernel_functions(src)]
    assert names == ["fill", "scale", "clear", "twod"]
    assert kernel_functions(src, "fill")[0][0] == "fill"     # asked for by name
    assert kernel_functions(src, "nope") == []
    with pytest.raises(TensorliftError):
        kernel_functions(DATA / "broken" / "syntax.c")


def test_missing_path_and_no_c_file_exit_2(tmp_path, capsys):
    assert batch.main([str(tmp_path / "missing.c")]) == 2
    assert "no such file" in capsys.readouterr().err
    (tmp_path / "empty").mkdir()
    assert batch.main([str(tmp_path / "empty")]) == 2
    assert "no C or C++ file" in capsys.readouterr().err


def test_bad_options_exit_2(tmp_path, capsys):
    assert batch.main([str(DATA / "dot.c"), "--report", str(tmp_path / "r.txt")]) == 2
    assert "unknown report format" in capsys.readouterr().err
    assert batch.main([str(DATA / "dot.c"), "--resume"]) == 2
    assert "--resume needs --report" in capsys.readouterr().err
    assert batch.main([str(DATA / "dot.c"), "--jobs", "0"]) == 2
    assert batch.main([str(DATA / "dot.c"), "--guide", "psychic"]) == 2
    assert "unknown guide" in capsys.readouterr().err
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    assert batch.main([str(DATA / "dot.c"), "--report", str(bad), "--resume"]) == 2
    assert "not valid JSON" in capsys.readouterr().err


# ---------------------------------------------------------------- a whole batch


@pytest.mark.slow
def test_batch_runs_every_kernel_and_keeps_going(full_run):
    proc, out, _ = full_run
    assert proc.returncode == 0, proc.stderr
    recs = json.loads((out / "r.json").read_text())
    assert sorted(key(r) for r in recs) == sorted([("dot.c", "dot"), ("vadd.c", "vadd"), ("gemv.c", "gemv"),
                                                   ("syntax.c", None), ("segfault.c", "crash"),
                                                   ("forever.c", "forever"), ("hog.c", "hog")])
    by_fn = {r["function"]: r for r in recs}
    for fn, program in GOOD.items():
        assert by_fn[fn]["status"] == "lifted" and by_fn[fn]["program"] == program
    errors = [by_fn[fn]["error"] for fn in BROKEN]
    for fn, pattern in BROKEN.items():
        assert by_fn[fn]["status"] == "error"
        assert re.search(pattern, by_fn[fn]["error"], re.I), (fn, by_fn[fn]["error"])
    assert len(set(errors)) == len(errors)          # each broken kernel says what it is
    for r in recs:                                  # lift's fields, the same for every record
        assert list(r)[0] == "file" and set(BASE_FIELDS) <= set(r)
        assert list(r) == list(recs[0])
    # records in input order: sorted files, directories first as the tree is walked
    assert [Path(r["file"]).relative_to(DATA).as_posix() for r in recs] == \
        ["blas/gemv.c", "broken/forever.c", "broken/hog.c", "broken/segfault.c", "broken/syntax.c", "dot.c", "vadd.c"]


@pytest.mark.slow
def test_plain_progress_lines_and_summary(full_run):
    proc, _, _ = full_run
    lines = [ln for ln in proc.stderr.splitlines() if ln.startswith("[")]
    assert len(lines) == 7 and lines[-1].startswith("[7/7]")
    assert any("lifted" in ln and "dot = a(i) * b(i)" in ln for ln in lines)
    out = proc.stdout
    assert re.search(r"^lifted\s+3\b", out, re.M) and re.search(r"^errors\s+4\b", out, re.M)
    assert re.search(r"^verified \(proved\)\s+\d+", out, re.M)
    for label in ("median per kernel", "95th percentile", "sum of kernel times", "wall clock"):
        assert label in out
    assert "parallel speed-up" in out


@pytest.mark.slow
def test_csv_report_matches_json(full_run):
    _, out, _ = full_run
    recs = json.loads((out / "r.json").read_text())
    with open(out / "r.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == len(recs) == 7
    assert list(rows[0]) == list(recs[0])
    for row, rec in zip(rows, recs):
        assert row["file"] == rec["file"] and row["status"] == rec["status"]
        assert row["function"] == (rec["function"] or "") and row["program"] == (rec["program"] or "")
    # the CSV and HTML reports keep the records for --resume beside them
    assert read_report(out / "r.csv") == recs and read_report(out / "r.html") == recs


# ---------------------------------------------------------------- isolation

FAULTY_WORKER = r"""
import ctypes, os, sys, time
from tensorlift.bench import worker
real = worker._lift

def faulty(path, function, **kw):
    if function == "crash":
        ctypes.string_at(0)                  # a real SIGSEGV in native code
    if function == "forever":
        while True:                          # hangs (and ignores the lift timeout)
            time.sleep(0.05)
    if function == "hog":
        block = bytearray(64 << 30)          # 64 GiB: beyond the worker's address-space limit
        block[-1] = 1
    if function == "vadd":
        os._exit(3)                          # dies without a word
    return real(path, function, **kw)

worker._lift = faulty
sys.exit(worker.main(sys.argv[1:]))
"""


def faulty_worker(tmp_path) -> list[str]:
    """The command of a real worker that really crashes, hangs, runs out of memory or exits
    on the broken kernels (and on vadd)."""
    wrapper = tmp_path / "faulty_worker.py"
    wrapper.write_text(FAULTY_WORKER)
    return [sys.executable, str(wrapper)]


FAULTS = {"crash": "worker crashed (SIGSEGV)", "forever": "timed out after 5 s", "hog": "out of memory",
          "vadd": "worker exited with status 3 without a result"}


@pytest.mark.slow
def test_crashing_hanging_and_oom_workers_are_contained(tmp_path):
    res = batch.run_batch([DATA], jobs=1, timeout=3, grace=2, reports=[tmp_path / "r.json"],
                          worker_command=faulty_worker(tmp_path))
    by_fn = {r["function"]: r for r in res.records}
    assert len(res.records) == 7
    for fn, error in FAULTS.items():
        assert by_fn[fn]["status"] == "error" and by_fn[fn]["error"] == error, by_fn[fn]
    assert 5 <= by_fn["forever"]["seconds"] < 15
    for fn in ("dot", "gemv"):                              # the others went on
        assert by_fn[fn]["status"] == "lifted" and by_fn[fn]["program"] == GOOD[fn]
    assert json.loads((tmp_path / "r.json").read_text()) == res.records
    # One worker at a time, in input order: gemv (worker 1), forever (1, hangs: killed),
    # hog (2: MemoryError, which the worker survives), crash (2, crashes; it had lifted hog,
    # so crash is tried again in 3, which crashes too), dot (4), vadd (4, dies; again in 5).
    assert res.workers_started == 5


@pytest.mark.slow
def test_workers_are_warm(tmp_path):
    """Eight kernels, one worker: it starts once and lifts them all. (What a kernel costs
    beyond its lift is measured by benchmarks/speed.py, not asserted here: under load any
    bound either fails or says nothing.)"""
    for i in range(8):
        shutil.copy(DATA / "dot.c", tmp_path / f"dot{i}.c")
    res = batch.run_batch([tmp_path], jobs=1, timeout=20)
    assert [r["status"] for r in res.records] == ["lifted"] * 8
    assert res.workers_started == 1


def test_classify_exit():
    rec, err = classify_exit(0, 'noise\n{"function": "f", "status": "lifted"}\n', "")
    assert rec == {"function": "f", "status": "lifted"} and err is None
    assert classify_exit(-signal.SIGSEGV, "", "")[1] == "worker crashed (SIGSEGV)"
    assert classify_exit(-signal.SIGABRT, "", "std::bad_alloc")[1].startswith("out of memory")
    assert "possibly out of memory" in classify_exit(-signal.SIGKILL, "", "")[1]
    assert classify_exit(1, "", "Traceback\nMemoryError\n")[1] == "out of memory"
    assert classify_exit(2, "", "boom\n")[1] == "worker exited with status 2 without a result: boom"


# ---------------------------------------------------------------- inputs and options


def _project(tmp_path) -> Path:
    """A small project: a kernel that needs -I and -D, a C++ file, a kernel that lifts but
    is not proved, a binary file and a file without functions."""
    src = tmp_path / "src"
    (src / "inc").mkdir(parents=True)
    (src / "inc" / "scale.h").write_text("#define SCALE(x) (FACTOR * (x))\n")
    (src / "scale.c").write_text('#include "scale.h"\n'
                                 "void scale(int n, const int *a, int *b) {\n"
                                 "  for (int i = 0; i < n; i++) b[i] = SCALE(a[i]);\n}\n")
    (src / "vadd.cpp").write_text("#include <vector>\nvoid vadd(int n, const float *x, const float *y, float *out) {\n"
                                  "  for (int i = 0; i < n; i++) out[i] = x[i] + y[i];\n}\n")
    (src / "clip.c").write_text("void scale_clip(int n, int *b, int *a) {\n"     # proved? it reads b[3] when n == 1
                                "  for (int i = 0; i < n; i++) a[i] = 2 * b[i];\n  if (n == 1) a[0] = b[3];\n}\n")
    (src / "blob.c").write_bytes(b"\x7fELF\x02\x01\x01\x00\x00\x00binary")
    (src / "decls.c").write_text("int x;\nint f(int);\n")
    return src


@pytest.mark.slow
def test_build_flags_require_proof_cpp_and_files_without_kernels(tmp_path):
    src = _project(tmp_path)
    report = tmp_path / "r.json"
    proc = run_bench(src, "-I", src / "inc", "-DFACTOR=3", "--require-proof", "--report", report,
                     "--report", tmp_path / "r.html", "--timeout", 20, "--jobs", 2)
    assert proc.returncode == 0, proc.stderr
    recs = json.loads(report.read_text())
    # the function not proved gives way to its loop nest, which is proved alone
    assert [(Path(r["file"]).name, r["function"], r["region"], r["status"]) for r in recs] == [
        ("blob.c", None, None, "error"), ("clip.c", "scale_clip", None, "failed"),
        ("clip.c", "scale_clip", "2-2", "lifted"), ("decls.c", None, None, "error"),
        ("scale.c", "scale", None, "lifted"), ("vadd.cpp", "vadd", None, "lifted")]
    by_name = {Path(r["file"]).name: r for r in recs if not r["region"]}
    assert "binary file" in by_name["blob.c"]["error"] and "\n" not in by_name["blob.c"]["error"]
    assert "no function definition" in by_name["decls.c"]["error"]
    assert re.fullmatch(r"b\(i\) = (3 \* a\(i\)|a\(i\) \* 3)", by_name["scale.c"]["program"])
    assert by_name["vadd.cpp"]["program"] == "out(i) = x(i) + y(i)"
    # the unproved kernel says why it counts as not lifted, in the progress line and the page
    why = by_name["clip.c"]["searched"]
    assert "not proved" in why and "--require-proof" in why
    assert any(ln.startswith("[") and "failed" in ln and "not proved" in ln for ln in proc.stderr.splitlines())
    assert html_escape(why) in (tmp_path / "r.html").read_text()
    # without the flags the kernel that needs them is one error record, with the reason
    proc = run_bench(src / "scale.c", "--report", report, "--timeout", 20)
    assert proc.returncode == 0, proc.stderr
    (rec,) = json.loads(report.read_text())
    assert rec["status"] == "error" and "scale.h" in rec["error"] and "file not found" in rec["error"]


@pytest.mark.slow
def test_build_dir_and_language_options(tmp_path):
    src = _project(tmp_path)
    (tmp_path / "build").mkdir()
    (tmp_path / "build" / "compile_commands.json").write_text(json.dumps([
        {"directory": str(src), "file": "scale.c", "arguments": ["cc", "-Iinc", "-DFACTOR=5", "-c", "scale.c"]}]))
    jobs = list_jobs([src / "scale.c"], build=BuildFlags(build_dir=str(tmp_path / "build")))
    assert [(j.function, j.error) for j in jobs] == [("scale", None)]
    assert f"-I{src / 'inc'}" in jobs[0].flags and "-DFACTOR=5" in jobs[0].flags
    # -x c++ reads a .c file as C++ (here: a reference parameter)
    (src / "ref.c").write_text("void twice(int n, const int *a, int *b, int &calls) {\n"
                               "  for (int i = 0; i < n; i++) b[i] = 2 * a[i];\n}\n")
    assert list_jobs([src / "ref.c"])[0].error.startswith("C parse error")
    (job,) = list_jobs([src / "ref.c"], build=BuildFlags(language="c++"))
    assert job.function == "twice" and job.language == "c++"
    assert run_bench(src, "-p", tmp_path / "nowhere").returncode == 2


@pytest.mark.slow
def test_every_option_has_help():
    import argparse
    from tensorlift.bench.command import add_bench_options
    p = add_bench_options(argparse.ArgumentParser())
    for action in p._actions:
        if not isinstance(action, argparse._HelpAction):
            assert action.help and action.help != argparse.SUPPRESS, action.dest
    proc = subprocess.run([sys.executable, "-m", "tensorlift", "bench", "--help"], capture_output=True,
                          text=True, cwd=REPO)
    for opt in ("--executor", "--ray-address", "--require-proof", "-I DIR", "-D NAME[=VALUE]", "-U NAME",
                "-std", "--cflags", "-p BUILD_DIR", "-x {c,c++}"):
        assert opt in proc.stdout, opt


@pytest.mark.slow
def test_ray_executor_without_ray_is_one_line(tmp_path):
    """Ray hidden from the batch process: --executor ray says how to install it."""
    hide = tmp_path / "hide"
    hide.mkdir()
    (hide / "ray.py").write_text("raise ImportError('no ray here')\n")
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(hide), str(REPO), os.environ.get("PYTHONPATH", "")]))
    proc = subprocess.run([sys.executable, "-m", "tensorlift", "bench", str(DATA / "dot.c"), "--executor", "ray"],
                          capture_output=True, text=True, env=env, timeout=60)
    assert proc.returncode == 2
    assert proc.stderr.strip().splitlines() == [
        "tensorlift: error: --executor ray needs Ray: pip install 'tensorlift[ray]'"]


@pytest.mark.slow
def test_ray_address_without_a_cluster_is_one_line(tmp_path):
    pytest.importorskip("ray")           # (test_bench_ray.py fails without it under CI=true)
    import socket
    with socket.socket() as s:           # a port where nothing listens
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = run_bench(DATA / "dot.c", "--executor", "ray", "--ray-address", f"127.0.0.1:{port}", timeout=60)
    assert proc.returncode == 2
    assert proc.stderr.strip().splitlines() == [
        f"tensorlift: error: no Ray cluster at 127.0.0.1:{port}: Connection refused "
        "(start one with `ray start --head`, or leave out --ray-address)"]
    assert run_bench(DATA / "dot.c", "--ray-address", f"127.0.0.1:{port}").returncode == 2   # needs --executor ray


def html_escape(text: str) -> str:
    import html
    return html.escape(text, quote=True)


# ---------------------------------------------------------------- resume and kill


@pytest.mark.slow
def test_resume_with_everything_done_runs_nothing(full_run, tmp_path):
    _, out, _ = full_run
    recs = json.loads((out / "r.json").read_text())
    for r in recs:
        r["marker"] = "from before"
    report = tmp_path / "r.html"                       # an HTML report resumes from its sidecar
    (tmp_path / "r.html.json").write_text(json.dumps(recs))
    start = time.monotonic()
    proc = run_bench(DATA, "--timeout", 20, "--report", report, "--resume")
    assert proc.returncode == 0, proc.stderr
    assert time.monotonic() - start < 15
    assert "7 kernel(s) already in the report were skipped" in proc.stderr
    assert not [ln for ln in proc.stderr.splitlines() if ln.startswith("[")]     # nothing ran
    after = json.loads(sidecar(report).read_text())
    assert after == recs
    assert report.read_text().count('<tr class="kernel"') == 7


@pytest.mark.slow
def test_resume_runs_only_what_is_missing(full_run, tmp_path):
    _, out, _ = full_run
    recs = json.loads((out / "r.json").read_text())
    kept = [dict(r, program="MARKER") for r in recs if r["function"] in ("dot", "gemv")]
    report = tmp_path / "r.json"
    report.write_text(json.dumps(kept))
    proc = run_bench(DATA, "--timeout", 20, "--report", report, "--resume")
    assert proc.returncode == 0, proc.stderr
    ran = [ln for ln in proc.stderr.splitlines() if ln.startswith("[")]
    assert len(ran) == 5 and not any(":dot " in ln or ":gemv " in ln for ln in ran)
    after = json.loads(report.read_text())
    assert len(after) == 7
    assert {r["function"]: r["program"] for r in after if r["function"] in ("dot", "gemv")} == \
        {"dot": "MARKER", "gemv": "MARKER"}
    assert next(r for r in after if r["function"] == "vadd")["program"] == GOOD["vadd"]
    assert re.search(r"^kernels\s+7\s+\(2 from the earlier report\)", proc.stdout, re.M)


def _workers_of(parent: int) -> list[int]:
    """The live worker processes started by the batch process `parent` (they carry its pid
    in their environment, even once orphaned)."""
    mark = f"TENSORLIFT_BENCH_PARENT={parent}".encode()
    pids = []
    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            try:
                env = (d / "environ").read_bytes().split(b"\0")
                state = (d / "stat").read_text().rsplit(")", 1)[1].split()[0]
            except OSError:
                continue
            if mark in env and state != "Z":
                pids.append(int(d.name))
    return pids


@pytest.mark.slow
def test_killed_batch_keeps_its_results(tmp_path):
    src = tmp_path / "kernels"
    src.mkdir()
    for i in range(6):
        shutil.copy(DATA / "dot.c", src / f"dot{i}.c")
    shutil.copy(DATA / "broken" / "forever.c", src / "zz_forever.c")
    report = tmp_path / "r.json"
    env = dict(os.environ, PYTHONPATH=str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    proc = subprocess.Popen([sys.executable, "-m", "tensorlift.bench.runner", str(src), "--jobs", "1",
                             "--timeout", "20", "--report", str(report)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if report.exists() and json.loads(report.read_text()):
                break
            time.sleep(0.02)
        assert proc.poll() is None, "the batch ended before it could be killed"
        proc.kill()
        proc.wait()
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    recs = json.loads(report.read_text())       # valid JSON, whatever the moment of the kill
    assert 1 <= len(recs) < 7
    assert all(r["status"] == "lifted" for r in recs)
    assert not list(tmp_path.glob(".r.json.*"))        # no temp file left behind
    deadline = time.monotonic() + 10                    # the orphaned worker dies with the batch
    while _workers_of(proc.pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not _workers_of(proc.pid)


@pytest.mark.slow
def test_terminated_batch_stops_its_workers(tmp_path):
    src = tmp_path / "kernels"
    src.mkdir()
    shutil.copy(DATA / "broken" / "forever.c", src / "forever.c")
    report = tmp_path / "r.json"
    env = dict(os.environ, PYTHONPATH=str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    proc = subprocess.Popen([sys.executable, "-m", "tensorlift.bench.runner", str(src), "--timeout", "20",
                             "--report", str(report)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, env=env)
    deadline = time.monotonic() + 30
    while not (report.exists() and _workers_of(proc.pid)) and time.monotonic() < deadline:
        time.sleep(0.02)
    assert _workers_of(proc.pid), "no worker started"
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 130 and "interrupted" in err and "Traceback" not in err
    assert all(r["status"] == "interrupted" for r in json.loads(report.read_text()))   # none lifted
    left = _workers_of(proc.pid)
    assert not left, [(Path(f"/proc/{p}/cmdline").read_bytes(), Path(f"/proc/{p}/stat").read_text()) for p in left]


@pytest.mark.slow
def test_ctrl_c_exits_130_and_resume_finishes(tmp_path):
    src = tmp_path / "kernels"
    src.mkdir()
    for i in range(4):
        shutil.copy(DATA / "dot.c", src / f"dot{i}.c")
    for i in range(3):   # a second and a half each: time for the interrupt on a busy machine
        shutil.copy(DATA / "broken" / "forever.c", src / f"zz_forever{i}.c")
    report = tmp_path / "r.csv"
    env = dict(os.environ, PYTHONPATH=str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    proc = subprocess.Popen([sys.executable, "-m", "tensorlift", "bench", str(src), "--jobs", "1",
                             "--timeout", "20", "--report", str(report)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not (sidecar(report).exists() and json.loads(sidecar(report).read_text())):
        time.sleep(0.02)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 130, err
    assert "interrupted" in err and "Traceback" not in err
    assert not _workers_of(proc.pid)
    recs = read_report(report)        # every kernel: those not lifted yet say "interrupted"
    done = [r for r in recs if r["status"] != "interrupted"]
    assert len(recs) == 7 and 1 <= len(done) < 7 and all(r["status"] == "lifted" for r in done[:4])
    proc = run_bench(src, "--jobs", 1, "--timeout", 20, "--report", report, "--resume")
    assert proc.returncode == 0, proc.stderr
    assert f"{len(done)} kernel(s) already in the report were skipped" in proc.stderr
    assert sorted(r["function"] for r in read_report(report)) == ["dot"] * 4 + ["forever"] * 3


@pytest.mark.slow
def test_progress_bar_on_a_terminal(tmp_path):
    master, slave = os.openpty()
    env = dict(os.environ, PYTHONPATH=str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", ""),
               COLUMNS="100")
    proc = subprocess.Popen([sys.executable, "-m", "tensorlift.bench.runner", str(DATA / "dot.c"),
                             str(DATA / "broken" / "segfault.c"), "--timeout", "20"],
                            stdout=subprocess.PIPE, stderr=slave, env=env)
    os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 4096)
        except OSError:
            break
        if not data:
            break
        chunks.append(data)
    proc.wait(timeout=60)
    os.close(master)
    screen = b"".join(chunks).decode(errors="replace")
    assert proc.returncode == 0
    assert "\r" in screen and "2/2 kernels" in screen and "lifted 1" in screen
    assert "elapsed" in screen and "remaining" in screen and "[####" in screen
    assert "crash" in screen                    # a kernel that went wrong is shown above the bar
    assert not re.search(r"^\[1/2\] lifted", screen, re.M)     # no plain lines on a terminal


# ---------------------------------------------------------------- report pieces


def test_summary_numbers():
    recs = [{"file": "a.c", "function": f"f{i}", "status": s, "verification": v, "seconds": t}
            for i, (s, v, t) in enumerate([("lifted", "proved", 1.0), ("lifted", "unknown", 2.0),
                                           ("failed", "not-run", 3.0), ("error", "not-run", 4.0)])]
    s = summarize(recs)
    assert (s["kernels"], s["lifted"], s["verified"], s["failed"], s["errors"]) == (4, 2, 1, 1, 1)
    assert s["all_sizes"] == 0 and summarize([{**recs[0], "verification_scope": "all-sizes"}])["all_sizes"] == 1
    assert s["median_seconds"] == 2.5 and s["total_kernel_seconds"] == 10.0
    assert percentile([1.0, 2.0, 3.0, 4.0], 95) == pytest.approx(3.85)
    assert percentile([], 50) is None


def test_csv_flattens_nulls_and_extra_fields():
    recs = [{"file": "a.c", "function": None, "status": "error", "error": "x, \"quoted\"",
             "extra": {"k": [1, 2]}}]
    rows = list(csv.reader(render_csv(recs).splitlines()))
    assert rows[0][:5] == ["file", "function", "status", "error", "extra"] and set(BASE_FIELDS) <= set(rows[0])
    row = dict(zip(rows[0], rows[1]))
    assert row["function"] == "" and row["error"] == "x, \"quoted\"" and json.loads(row["extra"]) == {"k": [1, 2]}


def test_cactus_plot_and_escaping():
    empty = cactus_svg([{"file": "a.c", "function": "f", "status": "failed", "seconds": 1}])
    assert empty.startswith('<svg id="cactus"') and "no kernel lifted yet" in empty
    recs = [{"file": str(DATA / "vadd.c"), "function": "vadd", "status": "lifted", "seconds": 0.5,
             "program": "<script>alert(1)</script>", "verification": "proved"}]
    page = render_html(recs, {"complete": True}, SourceCache())
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "i &lt; n" in page                        # the C source, escaped
    assert "twice" not in page                       # only the kernel's own definition
    assert "proved (1)" in page and "<polyline" in page


def test_extract_function():
    text = ("/* c { */\nstatic int\nf(int *a) {\n  char c = '}';\n  const char *s = \"{\";\n"
            "  // }\n  return a[0];\n}\nint g(void);\n")
    assert extract_function(text, 3) == text[text.index("static"):text.index("}\nint g") + 1] + "\n"
    assert extract_function(text, 9) is None         # a declaration


def test_report_is_written_atomically_with_normal_permissions(tmp_path):
    path = tmp_path / "r.json"
    write_report(path, [{"file": "a.c", "function": "f", "status": "lifted"}])
    assert json.loads(path.read_text())[0]["function"] == "f"
    assert oct(path.stat().st_mode & 0o777) == oct(0o666 & ~_umask())
    assert [p.name for p in tmp_path.iterdir()] == ["r.json"]


def _umask():
    m = os.umask(0o022)
    os.umask(m)
    return m


@pytest.mark.slow
def test_function_option(tmp_path, capsys):
    report = tmp_path / "r.json"
    proc = run_bench(DATA, "--function", "dot", "--report", report, "--timeout", 20)
    assert proc.returncode == 0, proc.stderr
    recs = json.loads(report.read_text())
    assert [(r["function"], r["status"]) for r in recs] == [(None, "error"), ("dot", "lifted")]  # + syntax.c
    assert run_bench(DATA / "dot.c", "--function", "nope").returncode == 1


# ---------------------------------------------------------------- the page in a browser


def _chromium(tmp_path, *args):
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install -y chromium)")
    return subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                           "--no-first-run", "--disable-background-networking", "--disable-component-update",
                           "--disable-sync", f"--user-data-dir={tmp_path / 'profile'}", *args],
                          capture_output=True, text=True, timeout=120)


@pytest.mark.slow
def test_html_report_in_headless_chromium(full_run, tmp_path):
    _, out, _ = full_run
    page = out / "r.html"
    proc = _chromium(tmp_path, "--dump-dom", page.as_uri() + "#sort=-seconds")
    assert proc.returncode == 0, proc.stderr[-2000:]
    dom = proc.stdout
    assert "<title>tensorlift bench report</title>" in dom
    rows = re.findall(r'<tr class="kernel"[^>]*>(.*?)</tr>', dom, re.S)
    assert len(rows) == 7
    for fn in list(GOOD) + ["crash", "forever", "hog"]:
        assert sum(f"<code>{fn}</code>" in r for r in rows) == 1
    assert sum("syntax.c" in r for r in rows) == 1
    assert re.search(r'<svg id="cactus"[^>]*>.*<polyline[^>]*series-lifted', dom, re.S)
    assert "kernels solved" in dom and "seconds per kernel" in dom
    # the table's script ran: sorted by seconds, slowest first, as the URL asked
    assert 'data-sorted="seconds:desc"' in dom
    secs = [float(re.search(r'data-v="([0-9.]+)"', r.split("</td>", 5)[5]).group(1)) for r in rows]
    assert secs == sorted(secs, reverse=True)
    # each kernel's details row follows it
    assert dom.count('<tr class="detail"') == 7
    assert "for (int i = 0; i &lt; n; i++)" in dom

    shot = tmp_path / "page.png"
    proc = _chromium(tmp_path, "--window-size=1200,1600", f"--screenshot={shot}", page.as_uri())
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert shot.stat().st_size > 10_000 and shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
