"""`tensorlift bench` throughput: kernels per minute, and what a kernel costs beyond its lift.

    python benchmarks/throughput.py DIR [--jobs 1,2] [--timeout S] [--executor local|ray]

The overhead per kernel is what the batch adds to the lift's own `seconds`: worker start-up,
sending the job and the record, listing the files, writing reports. With J workers busy for
the wall time W on K kernels whose lifts took S seconds on average, it is W*J/K - S (the
goal: 50 ms or less). The first figures are for the batch as `tensorlift bench` runs it, in
this process, start-up of the workers included; the Python start of the command itself is
not (about 0.3 s once per batch).
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Optional, Sequence

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tensorlift.bench.records import percentile  # noqa: E402
from tensorlift.bench.runner import run_batch     # noqa: E402


def bench_throughput(paths: Sequence[str | os.PathLike], jobs: int, *, timeout: float = 60.0,
                     guide: str = "auto", executor: str = "local", report: bool = True) -> dict:
    """Run `tensorlift bench` on the paths with `jobs` workers and measure it. With `report`,
    a JSON and an HTML report are written (to a temporary directory), as a user's run would.

    Returns kernels, lifted, jobs, wall_seconds, kernels_per_minute, mean_lift_seconds,
    median_lift_seconds, overhead_ms (per kernel: wall*jobs/kernels - mean lift seconds),
    dispatch_ms (per kernel: the workers' busy time minus the lifts' seconds, i.e. the
    overhead without idle workers), workers_started and executor."""
    with tempfile.TemporaryDirectory(prefix="tensorlift-throughput-") as tmp:
        reports = [Path(tmp) / "r.json", Path(tmp) / "r.html"] if report else []
        start = time.monotonic()
        res = run_batch(paths, jobs=jobs, timeout=timeout, guide=guide, reports=reports, executor=executor)
        wall = time.monotonic() - start
    kernels = [r for r in res.records if r.get("function") is not None]
    n = len(kernels)
    secs = [float(r.get("seconds") or 0.0) for r in kernels]
    mean = sum(secs) / n if n else 0.0
    return {
        "kernels": n,
        "lifted": sum(r.get("status") == "lifted" for r in kernels),
        "jobs": jobs,
        "executor": executor,
        "wall_seconds": round(wall, 3),
        "kernels_per_minute": round(60.0 * n / wall, 1) if wall > 0 else None,
        "mean_lift_seconds": round(mean, 4),
        "median_lift_seconds": round(percentile(secs, 50) or 0.0, 4),
        "overhead_ms": round(1000.0 * (wall * jobs / n - mean), 1) if n else None,
        # the same without the workers' idle time (the last kernels' tail, start-up, listing):
        # what each kernel costs a busy worker beyond its lift (sending it, the record back)
        "dispatch_ms": round(1000.0 * (res.busy_seconds - sum(secs)) / n, 1) if n else None,
        "workers_started": res.workers_started,
    }


def format_row(r: dict) -> str:
    return (f"{r['executor']:<6} jobs {r['jobs']}: {r['kernels']} kernels ({r['lifted']} lifted) in "
            f"{r['wall_seconds']:.2f} s = {r['kernels_per_minute']:.0f} kernels/minute; mean lift "
            f"{r['mean_lift_seconds']:.3f} s, overhead {r['overhead_ms']:.0f} ms per kernel "
            f"(of which dispatch {r['dispatch_ms']:.1f} ms; {r['workers_started']} workers started)")


def main(argv: Optional[Sequence[str]] = None) -> int:
    p = argparse.ArgumentParser(description="Kernels per minute of `tensorlift bench`, with 1 and 2 jobs.")
    p.add_argument("paths", nargs="*", default=[str(Path(__file__).resolve().parent.parent / "corpus")],
                   help="C files or directories (default: corpus/)")
    p.add_argument("--jobs", default="1,2", help="comma-separated worker counts (default 1,2)")
    p.add_argument("--timeout", type=float, default=60.0, help="per-kernel time limit (default 60)")
    p.add_argument("--executor", default="local", choices=("local", "ray"), help="default local")
    args = p.parse_args(argv)
    for jobs in (int(j) for j in args.jobs.split(",")):
        print(format_row(bench_throughput(args.paths, jobs, timeout=args.timeout, executor=args.executor)),
              flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
