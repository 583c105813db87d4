"""Time the emitted code against the original C, kernel by kernel.

    python benchmarks/speedup.py [KERNEL ...] [--size N] [--repeats R] [--with-tensora]
                                 [--targets numpy,torch,jax] [--threads T] [--json FILE]

A KERNEL is a corpus name (`blas/gemv`) or a path to a C file of the corpus; the default is
a list of plain kernels (DEFAULT_KERNELS). Each is lifted, then timed by
`tensorlift.backends.speedup.measure_speedup`: the C compiled at -O2 against each target at sizes
where the largest array has about N elements (default 10^6; contractions are capped at
N ** 1.5 multiply-adds), best of R. One row per kernel gives C seconds per call and
speedup = C seconds / target seconds for each target: above 1 the target is faster than
the C. A `!` marks a target whose outputs did not match the C outputs at that size.

The C runs on one thread; the libraries use their default threads unless `--threads T` is
given (it sets OMP/OpenBLAS/MKL/XLA thread counts before anything is imported, and
torch.set_num_threads). Timings on a loaded machine are noisy: the load average is shown.
"""
from __future__ import annotations

import argparse
import json
import math
import os
import sys
import time
from pathlib import Path

DEFAULT_KERNELS = [
    "blas/gemv", "blas/gemm", "polybench/2mm", "dsp/vadd", "blas/dot", "darknet/axpy_cpu",
    "mathfu/lerp", "utdsp/mult", "blas/ger", "llama/matmul", "darknet/add_bias",
    "dsp/vrecip", "blend/multiply_blend", "taco/mttkrp",
]


def _set_threads(n: int) -> None:
    """Thread counts for the libraries; must run before numpy, torch or jax is imported."""
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[var] = str(n)
    if n == 1:
        os.environ["XLA_FLAGS"] = (os.environ.get("XLA_FLAGS", "") +
                                   " --xla_cpu_multi_thread_eigen=false intra_op_parallelism_threads=1").strip()


def _args(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("kernels", nargs="*", help="corpus names (blas/gemv) or corpus files")
    ap.add_argument("--size", type=int, default=None,
                    help="elements of the largest array (default 1000000)")
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--targets", default="numpy,torch,jax")
    ap.add_argument("--with-tensora", action="store_true", help="also time the tensora target")
    ap.add_argument("--threads", type=int, default=None,
                    help="threads for the libraries (default: each library's own default)")
    ap.add_argument("--timeout", type=float, default=60.0, help="seconds to lift each kernel")
    ap.add_argument("--json", type=Path, default=None, help="write every report to this file")
    return ap.parse_args(argv)


def _entry(name: str):
    from benchmarks.corpus import ROOT, load_corpus
    path = Path(name)
    if not path.suffix:
        path = ROOT / f"{name}.c"
    entries = load_corpus([path]) if path.exists() else []
    if not entries:
        raise SystemExit(f"no corpus kernel {name!r} (expected {path})")
    return entries[0]


def main(argv=None) -> int:
    args = _args(argv)
    if args.threads is not None:
        _set_threads(args.threads)
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from tensorlift.errors import TensorliftError
    from tensorlift.pipeline import lift
    from tensorlift.backends.speedup import format_ratio, measure_speedup

    if args.threads is not None:
        try:
            import torch
            torch.set_num_threads(args.threads)
        except ImportError:
            pass
    targets = [t for t in args.targets.split(",") if t]
    if args.with_tensora and "tensora" not in targets:
        targets.append("tensora")
    names = args.kernels or DEFAULT_KERNELS
    entries = [_entry(n) for n in names]

    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"speedup = C seconds / target seconds (> 1: the target is faster than the C -O2); "
          f"! = outputs differ from the C; {os.cpu_count()} CPUs, load average {load:.2f}")
    width = max(len(e.name) for e in entries)
    head = f"{'kernel':<{width}}  {'sizes':<24} {'C seconds':>10}" + \
        "".join(f" {t:>9}" for t in targets)
    print(head)
    print("-" * len(head))
    rows, ratios = [], {t: [] for t in targets}
    for e in entries:
        row = {"kernel": e.name, "function": e.function}
        try:
            r = lift(e.path, e.function, timeout=args.timeout)
            if r.status != "lifted":
                raise TensorliftError(f"not lifted ({r.why_not_lifted or r.error or r.status})")
            rep = measure_speedup(r, targets, size=args.size, repeats=args.repeats)
        except TensorliftError as ex:
            row["error"] = str(ex)
            print(f"{e.name:<{width}}  error: {ex}", flush=True)
            rows.append(row)
            continue
        row["program"] = str(r.program)
        row.update(rep.to_json())
        rows.append(row)
        sizes = "x".join(str(v) for v in rep.sizes.values()) if rep.sizes else "fixed"
        cells = []
        for t in targets:
            tr = rep.targets[t]
            if tr.get("seconds") is None:
                cells.append("error")
                continue
            cells.append(format_ratio(tr["speedup"]) + ("" if tr["matches"] else "!"))
            if tr["matches"]:
                ratios[t].append(tr["speedup"])
        print(f"{e.name:<{width}}  {sizes[:24]:<24} {rep.c_seconds:>10.3e}" +
              "".join(f" {c:>9}" for c in cells), flush=True)
        for t in targets:
            if rep.targets[t].get("error"):
                print(f"{'':<{width}}  {t}: {rep.targets[t]['error']}")
    print("-" * len(head))
    geo = {t: math.exp(sum(map(math.log, v)) / len(v)) if v else None for t, v in ratios.items()}
    print(f"{'geometric mean':<{width + 36}}" + "".join(f" {format_ratio(geo[t]):>9}" for t in targets))
    if args.json:
        args.json.write_text(json.dumps({
            "targets": targets, "size": args.size, "repeats": args.repeats, "threads": args.threads,
            "load_average": load, "cpus": os.cpu_count(), "time": time.strftime("%Y-%m-%d %H:%M:%S"),
            "geometric_mean": geo, "kernels": rows}, indent=2, default=float))
        print(f"wrote {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
