"""`tensorlift bench` as a newcomer uses it: code handed back per source file (--target /
--emit), --verify and --bound, "lifted, not proved" as its own verdict in the progress line,
the summary and every report, a total known before the first kernel starts, the interrupted
state in every report, and an HTML table that fits a 1400-pixel window."""
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

import numpy as np
import pytest
from helpers import ROOT

from tensorlift.backends import combine
from tensorlift.bench.page import render_html
from tensorlift.bench.records import SourceCache, proof_scope, summarize, summary_lines, verdict, verdict_detail

DATA = ROOT / "tests" / "data" / "batch"
CHROMIUM = "/usr/bin/chromium"

BLAS = """
void vadd(int n, const float *a, const float *b, float *c) { for (int i = 0; i < n; i++) c[i] = a[i] + b[i]; }
float dot(int n, const float *a, const float *b) { float s = 0; for (int i = 0; i < n; i++) s += a[i] * b[i]; return s; }
void skip(int n, float *a) { for (int i = 0; i < n; i++) { if (a[i] > 0) break; a[i] = 1; } }
"""


def bench(*args, timeout=300):
    return subprocess.run([sys.executable, "-m", "tensorlift", "bench", *map(str, args)], capture_output=True,
                          text=True, timeout=timeout, cwd=ROOT)


def progress_lines(stderr: str) -> list[str]:
    return [ln for ln in stderr.splitlines() if ln.startswith("[")]


# ---------------------------------------------------------------- verdicts, in pieces


def _rec(status, verification="not-run", **kw):
    return {"file": "a.c", "function": "f", "status": status, "verification": verification, "seconds": 1.0, **kw}


def test_verdicts_and_what_a_proof_covered():
    proved_all = _rec("lifted", "proved", verification_scope="all-sizes")
    proved_3 = _rec("lifted", "proved", verification_scope="bounded", verification_bound=3)
    fixed = _rec("lifted", "proved", verification_scope="fixed-sizes")
    unknown = _rec("lifted", "unknown", verification_reason="z3 gave up")
    assert [verdict(r) for r in (proved_all, unknown, _rec("failed"), _rec("interrupted"))] == \
        ["lifted, proved", "lifted, not proved", "failed", "interrupted"]
    assert [proof_scope(r) for r in (proved_all, proved_3, fixed, unknown)] == \
        ["all sizes", "sizes <= 3", "fixed sizes", ""]
    assert verdict_detail(unknown) == "not proved: z3 gave up"
    assert verdict_detail(_rec("lifted")) == "not proved: verification was not run"
    s = summarize([proved_all, proved_3, unknown, _rec("failed"), _rec("error"), _rec("interrupted")])
    assert (s["lifted"], s["verified"], s["unproved"], s["failed"], s["errors"], s["interrupted"]) == (3, 2, 1, 1, 1, 1)
    assert s["proved_scopes"] == {"all sizes": 1, "sizes <= 3": 1}
    text = "\n".join(summary_lines(s))
    assert re.search(r"^verified \(proved\)\s+2 .*: 1 for all sizes, 1 for sizes <= 3$", text, re.M)
    assert re.search(r"^lifted, not proved\s+1\b", text, re.M) and re.search(r"^interrupted\s+1\b", text, re.M)


def test_page_shows_the_verdict_and_its_reason_in_the_row():
    recs = [_rec("lifted", "proved", verification_scope="all-sizes", program="y(i) = x(i)"),
            _rec("lifted", "unknown", verification_reason="the C stores outside the fitted region",
                 program="z(i) = x(i)"),
            _rec("interrupted", error="the batch was interrupted before this kernel was lifted")]
    page = render_html(recs, {"complete": False, "interrupted": True}, SourceCache())
    rows = re.findall(r'<tr class="kernel"[^>]*>(.*?)</tr>', page, re.S)
    assert "lifted, proved" in rows[0] and "proved (all sizes)" in rows[0]
    assert "lifted, not proved" in rows[1] and "not proved: the C stores outside the fitted region" in rows[1]
    assert 'title="' not in rows[1]                   # the reason is in the row, not in a tooltip
    assert "interrupted after 2 of 3 kernels" in page


def test_modules_of_several_kernels_are_combined():
    one = ('"""f, lifted."""\nimport numpy as np\n\n\ndef _c_div(a, b):\n    return a\n\n\n'
           'def f(n, x):\n    """f."""\n    return _c_div(x, 2)\n')
    two = '"""g, lifted."""\nimport math\nimport numpy as np\n\n\ndef _c_div(a, b):\n    return a\n\n\ndef f(n):\n    return n\n'
    text = combine("numpy", [one, two], "2 kernel(s) of k.c")
    assert text.startswith('"""2 kernel(s) of k.c, lifted from C by tensorlift (numpy back end)."""\n'
                           "import numpy as np\nimport math\n")
    assert text.count("def _c_div(") == 1 and "def f(n, x):" in text and "def f_2(n):" in text
    ns: dict = {}
    exec(text, ns)
    assert ns["f_2"](4) == 4 and ns["f"](1, 6) == 6


# ---------------------------------------------------------------- whole batches


@pytest.mark.slow
def test_emit_writes_one_checked_module_per_source_file(tmp_path):
    src = tmp_path / "src"
    (src / "la").mkdir(parents=True)
    (src / "la" / "blas.c").write_text(BLAS)
    shutil.copy(DATA / "vadd.c", src / "vadd.c")
    out = tmp_path / "lifted"
    proc = bench(src, "--jobs", 2, "--timeout", 30, "--target", "numpy,taco", "--emit", out,
                 "--report", tmp_path / "r.json")
    assert proc.returncode == 0, proc.stderr
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()) == \
        ["la/blas.taco", "la/blas_numpy.py", "vadd.taco", "vadd_numpy.py"]
    text = (out / "la" / "blas_numpy.py").read_text()
    assert "# not in this module: skip (error:" in text
    ns: dict = {}
    exec(compile(text, "blas_numpy.py", "exec"), ns)
    a, b = np.array([1.0, 2.0, -3.0], np.float32), np.array([0.5, 0.25, 2.0], np.float32)
    np.testing.assert_allclose(ns["vadd"](3, a, b), a + b)
    assert ns["dot"](3, a, b) == pytest.approx(float(a @ b))
    assert "c(i) = a(i) + b(i)" in (out / "la" / "blas.taco").read_text()
    recs = {r["function"]: r for r in json.loads((tmp_path / "r.json").read_text())}
    assert set(recs["dot"]["code"]) == {"numpy", "taco"} and "code" not in recs["skip"]
    assert f"code: 4 module(s) in {out}" in proc.stderr


@pytest.mark.slow
def test_not_proved_is_its_own_verdict_everywhere_and_the_total_is_known_first(tmp_path):
    proc = bench(DATA / "dot.c", DATA / "vadd.c", DATA / "blas", "--jobs", 1, "--timeout", 30, "--verify", "none",
                 "--report", tmp_path / "r.html", "--report", tmp_path / "r.csv")
    assert proc.returncode == 0, proc.stderr
    lines = progress_lines(proc.stderr)
    assert [ln.split("]")[0] for ln in lines] == ["[1/3", "[2/3", "[3/3"]     # the total from the first line
    assert all(" lifted, not proved " in ln and "(not proved: verification was not run)" in ln for ln in lines)
    assert re.search(r"^lifted, not proved\s+3\b", proc.stdout, re.M)
    assert re.search(r"^verified \(proved\)\s+0\b", proc.stdout, re.M)
    with open(tmp_path / "r.csv", newline="") as f:
        assert {(r["status"], r["verdict"], r["verification"]) for r in csv.DictReader(f)} == \
            {("lifted", "lifted, not proved", "not-run")}
    page = (tmp_path / "r.html").read_text()
    assert page.count('<span class="status status-unproved">lifted, not proved</span>') == 3
    proc = bench(DATA / "dot.c", "--bound", 2, "--report", tmp_path / "b.json", "--timeout", 30)
    (rec,) = json.loads((tmp_path / "b.json").read_text())
    assert rec["verification"] == "proved"
    assert rec["verification_scope"] == "all-sizes" or rec["verification_bound"] == 2
    assert " lifted, proved " in progress_lines(proc.stderr)[0]


@pytest.mark.slow
def test_every_report_says_the_batch_was_interrupted(tmp_path):
    src = tmp_path / "kernels"
    src.mkdir()
    shutil.copy(DATA / "dot.c", src / "a_dot.c")
    for i in range(3):
        shutil.copy(DATA / "broken" / "forever.c", src / f"forever{i}.c")
    reports = [tmp_path / f"r.{ext}" for ext in ("json", "csv", "html")]
    proc = subprocess.Popen([sys.executable, "-m", "tensorlift", "bench", str(src), "--jobs", "1", "--timeout", "20",
                             *[a for r in reports for a in ("--report", str(r))]],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and not (reports[0].exists() and json.loads(reports[0].read_text())):
        time.sleep(0.05)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    recs = json.loads(reports[0].read_text())
    assert len(recs) == 4 and recs[0]["status"] == "lifted"
    assert {(r["status"], r["verdict"]) for r in recs[1:]} == {("interrupted", "interrupted")}
    assert all("--resume" in r["error"] for r in recs[1:])
    with open(reports[1], newline="") as f:
        assert [r["status"] for r in csv.DictReader(f)] == [r["status"] for r in recs]
    page = reports[2].read_text()
    assert "interrupted after 1 of 4 kernels (--resume continues)" in page and "in progress" not in page


@pytest.mark.slow
def test_the_table_fits_a_1400_pixel_window(tmp_path):
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install -y chromium)")
    long_reason = "no program for 'output' after 18234 candidates (time limit reached) " * 3
    recs = [{"file": f"/home/someone/projects/a/very/long/path/to/the/library/src/module{i}/file_{i}.c",
             "function": f"a_rather_long_function_name_{i}", "status": s, "verification": v, "seconds": 0.5,
             "candidates": 3, "program": p, "searched": long_reason, "verification_reason": long_reason}
            for i, (s, v, p) in enumerate([
                ("lifted", "unknown", "out(i,j,k) = where(abs(x(i,j,k) - y(i,j,k)) < 1, x(i,j,k) * x(i,j,k), "
                                      "2 * abs(x(i,j,k) - y(i,j,k)) - 1) + sum(l, m, A(i,l) * B(l,m) * C(m,j))"),
                ("failed", "not-run", None), ("lifted", "proved", "y(i) = A(i,j) * x(j)")])]
    page = render_html(recs, {"complete": True}, SourceCache())
    probe = "<script>document.body.setAttribute('data-width', document.documentElement.scrollWidth)</script>"
    path = tmp_path / "page.html"
    path.write_text(page.replace("</body>", probe + "</body>"))
    proc = subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                           "--disable-background-networking", "--disable-component-update", "--disable-sync",
                           f"--user-data-dir={tmp_path / 'profile'}", "--window-size=1400,1000", "--dump-dom",
                           path.as_uri()], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    width = int(re.search(r'data-width="(\d+)"', proc.stdout).group(1))
    assert width <= 1400, width
    assert long_reason.strip()[:40] in proc.stdout      # the reasons are in the rows
