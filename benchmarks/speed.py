"""Whole-process speed, as a user sees it: `tensorlift lift FILE` timed from outside.

    python benchmarks/speed.py [--suite NAME ...] [--timeout S] [--no-search] [--no-bench] [--json out.json]

Per suite of corpus kernels it prints the wall time of the whole process (median, 95th
percentile, max) on a cold cache (a fresh TENSORLIFT_CACHE_DIR: the harness is compiled) and
on a warm one (the same command again), the search throughput in candidates checked per
second, and the `bench` throughput in kernels per minute with 1 and 2 jobs. The statements
read off the C find most programs with one or two candidates, so throughput is measured with
them left out (`translate=False`, the search alone, in one process) on the kernels whose
search checks at least 20 candidates, time in proofs excluded. The targets (issues 11 and 21): cold median <= 0.5 s, warm median <= 0.4 s,
no kernel over 5 s, bench overhead <= 50 ms per kernel. `--no-search --no-bench` measures the
whole-process times alone (about two minutes for the STAGG-style suite).

Python's bytecode is written once before timing (as `pip install` does), so a machine that
sets PYTHONDONTWRITEBYTECODE does not pay for compiling tensorlift on every run.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.corpus import load_corpus  # noqa: E402
from tensorlift.bench.records import percentile  # noqa: E402

SUITES = {
    "stagg-c2taco": ["blas", "dsp", "darknet", "mathfu", "dspstone", "utdsp", "simple", "taco"],
    "polybench": ["polybench"],
    "blend-llama": ["blend", "llama"],
}


def _env(**extra) -> dict:
    """This environment, with Python allowed to write bytecode (see the module doc)."""
    return {**{k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}, **extra}


def run_lift(path: Path, function: str, cache: str, timeout: float) -> tuple[float, dict]:
    env = _env(TENSORLIFT_CACHE_DIR=cache)
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "tensorlift", "lift", str(path), "--function", function,
                           "--json", "--timeout", str(timeout)], capture_output=True, text=True, env=env)
    wall = time.perf_counter() - start
    try:
        rec = json.loads(proc.stdout.splitlines()[-1])
    except (IndexError, ValueError):
        rec = {"status": "error", "error": proc.stderr.strip()[-200:]}
    return wall, rec


def suite_times(entries, timeout: float) -> dict:
    cold, warm, rows = [], [], []
    for e in entries:
        with tempfile.TemporaryDirectory(prefix="tl-speed-") as cache:
            c, rec = run_lift(e.path, e.function, cache, timeout)
            w, _ = run_lift(e.path, e.function, cache, timeout)
        cold.append(c)
        warm.append(w)
        rows.append({"kernel": e.name, "cold": round(c, 3), "warm": round(w, 3), "status": rec.get("status"),
                     "candidates": rec.get("candidates", 0), "seconds": rec.get("seconds", 0.0),
                     "verification": rec.get("verification")})
    return {"cold": cold, "warm": warm, "rows": rows}


def search_rate(entries, timeout: float) -> dict:
    from tensorlift.pipeline import lift
    done, candidates, seconds = 0, 0, 0.0
    for e in entries:
        r = lift(e.path, e.function, timeout=timeout, translate=False)
        done += r.status == "lifted"
        if r.candidates >= 20:
            candidates += r.candidates
            seconds += r.seconds - r.verification_seconds
    return {"lifted": done, "candidates": candidates, "seconds": round(seconds, 2),
            "per_second": candidates / seconds if seconds else float("nan")}


def stats(xs: list[float]) -> str:
    return f"median {statistics.median(xs):.2f} s, p95 {percentile(xs, 95):.2f} s, max {max(xs):.2f} s"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--suite", action="append", choices=list(SUITES), help="suites to run (default all)")
    ap.add_argument("--timeout", type=float, default=20.0, help="--timeout of each lift (default 20)")
    ap.add_argument("--no-search", action="store_true", help="skip the search throughput measurement")
    ap.add_argument("--no-bench", action="store_true", help="skip the bench throughput measurement")
    ap.add_argument("--json", metavar="FILE", help="write every measurement to FILE")
    args = ap.parse_args(argv)
    subprocess.run([sys.executable, "-c", "import compileall, tensorlift, os; "
                    "compileall.compile_dir(os.path.dirname(tensorlift.__file__), quiet=1)"],
                   env=_env())
    corpus = load_corpus()
    out = {}
    for name in args.suite or list(SUITES):
        entries = [e for e in corpus if e.path.parent.name in SUITES[name]]
        if not entries:
            continue
        res = suite_times(entries, args.timeout)
        out[name] = res
        lifted = sum(r["status"] == "lifted" for r in res["rows"])
        print(f"{name} ({len(entries)} kernels, {lifted} lifted)")
        print(f"  whole process, cold cache: {stats(res['cold'])}")
        print(f"  whole process, warm cache: {stats(res['warm'])}")
        if not args.no_search:
            rate = res["search"] = search_rate(entries, args.timeout)
            print(f"  search alone: {rate['per_second']:,.0f} candidates per second "
                  f"({rate['lifted']} lifted without the statements read off the C)")
        slow = [r for r in res["rows"] if max(r["cold"], r["warm"]) > 5]
        print(f"  over 5 s: {', '.join(r['kernel'] for r in slow) or 'none'}")
    if not args.no_bench:
        from benchmarks.throughput import bench_throughput
        paths = [str(ROOT / "corpus" / c) for c in SUITES["stagg-c2taco"]]
        for jobs in (1, 2):
            t = bench_throughput(paths, jobs)
            out[f"bench_{jobs}"] = t
            print(f"bench, {jobs} job(s): {t['kernels_per_minute']:.0f} kernels per minute, "
                  f"overhead {t['overhead_ms']:.0f} ms per kernel")
    if args.json:
        Path(args.json).write_text(json.dumps(out, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
