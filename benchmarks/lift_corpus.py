"""Lift every corpus kernel and report solved, time and candidates per kernel and in total.

    python benchmarks/lift_corpus.py [--timeout S] [--jobs N] [--guide static|none] [PATH ...]

Each kernel runs in its own worker process. A lifted program is also compared with the
expected program of the kernel (its `<name>.expect.json`) on the same examples.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.corpus import Entry, load_corpus  # noqa: E402


def run_one(entry: Entry, timeout: float, guide: str) -> dict:
    from tensorlift.synth.check import check_program
    from tensorlift.errors import TensorliftError
    from tensorlift.pipeline import lift
    from tensorlift.taco.parse import parse_program
    row = {"kernel": entry.name, "plain": entry.plain}
    start = time.monotonic()
    try:
        r = lift(entry.path, entry.function, timeout=timeout, guide=guide)
    except TensorliftError as e:
        row.update(status="error", error=str(e), seconds=time.monotonic() - start, candidates=0)
        return row
    except Exception as e:   # a bug: reported, not fatal to the benchmark
        row.update(status="crash", error=f"{type(e).__name__}: {e}", seconds=time.monotonic() - start, candidates=0)
        return row
    row.update(status=r.status, seconds=r.seconds, candidates=r.candidates,
               program=str(r.program) if r.program else None, verification=r.verification,
               verify_seconds=getattr(r, "verification_seconds", 0.0),
               scope=getattr(r, "verification_scope", None))
    try:
        row["expected_ok"] = check_program(parse_program(entry.program), r.analysis.signature, r.examples)
    except Exception as e:
        row["expected_ok"] = f"error: {e}"
    return row


def percentile(xs, q):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(q * (len(xs) - 1))))] if xs else float("nan")


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("paths", nargs="*", type=Path)
    ap.add_argument("--timeout", type=float, default=60.0)
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--guide", default="auto")
    args = ap.parse_args(argv)
    entries = load_corpus(args.paths or None)
    with ProcessPoolExecutor(args.jobs) as pool:
        rows = list(pool.map(run_one, entries, [args.timeout] * len(entries), [args.guide] * len(entries)))
    for r in rows:
        extra = r.get("program") or r.get("error", "")
        print(f"{r['kernel']:<32} {'plain' if r['plain'] else 'ext  '} {r['status']:<7} "
              f"{r['seconds']:7.2f}s proof {r.get('verify_seconds', 0.0):6.2f}s {r['candidates']:>8} "
              f"{r.get('verification', ''):<8} {r.get('scope') or '':<11} {extra}")
    for label, sel in (("plain", [r for r in rows if r["plain"]]), ("all", rows)):
        solved = [r for r in sel if r["status"] == "lifted"]
        times = [r["seconds"] for r in sel]
        cands = [r["candidates"] for r in solved]
        print(f"{label}: {len(solved)}/{len(sel)} lifted; time median {statistics.median(times):.2f}s "
              f"p95 {percentile(times, 0.95):.2f}s; candidates median "
              f"{statistics.median(cands) if cands else 0} p95 {percentile(cands, 0.95) if cands else 0}")
    proved = [r for r in rows if r.get("verification") == "proved"]
    lifted = [r for r in rows if r["status"] == "lifted"]
    total = sum(r["seconds"] for r in lifted)
    vtime = sum(r.get("verify_seconds", 0.0) for r in lifted)
    print(f"verification: {len(proved)}/{len(lifted)} lifted programs proved; proofs took "
          f"{vtime:.2f}s of {total:.2f}s lifting time ({100 * vtime / max(total, 1e-9):.0f}%)")
    scopes = {}
    for r in rows:
        key = r.get("scope") or ("not proved" if r["status"] == "lifted" else "not lifted")
        scopes[key] = scopes.get(key, 0) + 1
    print("scopes: " + ", ".join(f"{k} {v}" for k, v in sorted(scopes.items())))
    slow = sorted(lifted, key=lambda r: -r.get("verify_seconds", 0.0))[:8]
    print("slowest proofs: " + ", ".join(f"{r['kernel']} {r.get('verify_seconds', 0.0):.2f}s" for r in slow))
    bad = [r for r in rows if r.get("expected_ok") is False]
    if bad:
        print("lifted programs that disagree with the expected one:", ", ".join(r["kernel"] for r in bad))


if __name__ == "__main__":
    main()
