"""`tensorlift bench`: discovery, isolated parallel workers, progress, reports, resume, and
the HTML page in a real headless browser.

The kernels are in tests/data/batch: three good ones (dot, vadd, blas/gemv) and broken
ones (syntax error, NULL write, endless loop, 64 GiB allocation). The pipeline itself
catches what the broken ones do (it interprets the C under a step limit); to check that a
worker which really crashes, hangs or runs out of memory is contained, a wrapper worker
makes the real worker do exactly that for those kernels.
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
    for rel in ("b.c", "a/z.c", "a/b.c", ".git/x.c", "a/.y.c", "notes.txt"):
        p = tmp_path / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text("")
    found = [p.relative_to(tmp_path).as_posix() for p in batch.find_sources([tmp_path])]
    assert found == ["a/b.c", "a/z.c", "b.c"]
    # a file named twice (and through its directory) is listed once
    assert len(batch.find_sources([tmp_path / "b.c", tmp_path])) == 3
    with pytest.raises(TensorliftError, match="no such file"):
        batch.find_sources([tmp_path / "missing"])


def test_kernel_candidates(tmp_path):
    assert [n for n, _ in batch.kernel_functions(DATA / "vadd.c")] == ["vadd"]   # not the helper
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
    names = [n for n, _ in batch.kernel_functions(src)]
    assert names == ["fill", "scale", "clear", "twod"]
    assert batch.kernel_functions(src, "fill")[0][0] == "fill"     # asked for by name
    assert batch.kernel_functions(src, "nope") == []
    with pytest.raises(TensorliftError):
        batch.kernel_functions(DATA / "broken" / "syntax.c")


def test_missing_path_and_no_c_file_exit_2(tmp_path, capsys):
    assert batch.main([str(tmp_path / "missing.c")]) == 2
    assert "no such file" in capsys.readouterr().err
    (tmp_path / "empty").mkdir()
    assert batch.main([str(tmp_path / "empty")]) == 2
    assert "no .c file" in capsys.readouterr().err


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

FAULTY_WORKER = r'''
import ctypes, os, sys, time
from tensorlift.bench import runner as batch
real = batch._lift

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

batch._lift = faulty
sys.exit(batch.main(sys.argv[1:]))
'''


def test_crashing_hanging_and_oom_workers_are_contained(tmp_path):
    wrapper = tmp_path / "faulty_worker.py"
    wrapper.write_text(FAULTY_WORKER)
    res = batch.run_batch([DATA], jobs=2, timeout=3, grace=2, reports=[tmp_path / "r.json"],
                          worker_command=[sys.executable, str(wrapper), "--worker"])
    by_fn = {r["function"]: r for r in res.records}
    assert len(res.records) == 7
    assert by_fn["crash"]["status"] == "error" and by_fn["crash"]["error"] == "worker crashed (SIGSEGV)"
    assert by_fn["forever"]["error"] == "timed out after 5 s"
    assert 5 <= by_fn["forever"]["seconds"] < 15
    assert by_fn["hog"]["error"] == "out of memory"
    assert by_fn["vadd"]["error"].startswith("worker exited with status 3")
    for fn in ("dot", "gemv"):                              # the others went on
        assert by_fn[fn]["status"] == "lifted" and by_fn[fn]["program"] == GOOD[fn]
    assert json.loads((tmp_path / "r.json").read_text()) == res.records


def test_classify_exit():
    rec, err = batch.classify_exit(0, 'noise\n{"function": "f", "status": "lifted"}\n', "")
    assert rec == {"function": "f", "status": "lifted"} and err is None
    assert batch.classify_exit(-signal.SIGSEGV, "", "")[1] == "worker crashed (SIGSEGV)"
    assert batch.classify_exit(-signal.SIGABRT, "", "std::bad_alloc")[1].startswith("out of memory")
    assert "possibly out of memory" in batch.classify_exit(-signal.SIGKILL, "", "")[1]
    assert batch.classify_exit(1, "", "Traceback\nMemoryError\n")[1] == "out of memory"
    assert batch.classify_exit(2, "", "boom\n")[1] == "worker exited with status 2 without a result: boom"


# ---------------------------------------------------------------- resume and kill


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


def _workers_of(tag: str) -> list[int]:
    pids = []
    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            try:
                cmd = (d / "cmdline").read_bytes().split(b"\0")
            except OSError:
                continue
            if b"--worker" in cmd and any(tag.encode() in c for c in cmd):
                pids.append(int(d.name))
    return pids


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
    while _workers_of(str(src)) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not _workers_of(str(src))


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
    while not _workers_of(str(src)) and time.monotonic() < deadline:
        time.sleep(0.02)
    assert _workers_of(str(src)), "no worker started"
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 2 and "interrupted" in err
    assert json.loads(report.read_text()) == []
    assert not _workers_of(str(src))


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
