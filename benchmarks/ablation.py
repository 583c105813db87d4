"""The published ablation over a corpus with recorded model answers: solved, median time and
median candidates for each guide x grammar x enumerator, and for checking the answers alone.
Every configuration but the first searches without the statements read off the C
(`translate=False`), so the rows measure the guidance and the search; the first is the
default lift, for comparison.

    python benchmarks/ablation.py [--answers DIR] [--timeout S] [--jobs N] [--plain-only] [PATH ...]

Answers for `corpus/<cat>/<name>.c` are read from `DIR/<cat>/<name>.txt` (default
corpus/answers). Kernels without an answer file are skipped.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.corpus import ROOT, load_corpus  # noqa: E402

CONFIGS = [
    # (label, guide, grammar, enumerator, check_answers)
    ("default (auto, translated)", "auto", "learned", "top-down", False),
    ("check-answers", "llm", "learned", "top-down", True),
    ("llm/learned/top-down", "llm", "learned", "top-down", False),
    ("llm/learned/bottom-up", "llm", "learned", "bottom-up", False),
    ("llm/equal/top-down", "llm", "equal", "top-down", False),
    ("llm/full/top-down", "llm", "full", "top-down", False),
    ("llm/answers-only/top-down", "llm", "answers-only", "top-down", False),
    ("auto/learned/top-down", "auto", "learned", "top-down", False),
    ("auto/learned/bottom-up", "auto", "learned", "bottom-up", False),
    ("static/learned/top-down", "static", "learned", "top-down", False),
    ("none/full/top-down", "none", "full", "top-down", False),
]


def run(job):
    path, function, answers, cfg, timeout = job
    from tensorlift.errors import TensorliftError
    from tensorlift.pipeline import lift
    label, guide, grammar, enumerator, check = cfg
    try:
        r = lift(path, function, timeout=timeout, guide=guide, grammar=grammar, enumerator=enumerator,
                 answers=str(answers), check_answers=check, translate=label.startswith("default"))
        return label, r.status == "lifted", r.seconds, r.candidates
    except TensorliftError:
        return label, False, timeout, 0
    except Exception as e:   # a bug: counted as unsolved and shown, the table still comes out
        print(f"crash on {path} with {label}: {type(e).__name__}: {e}", file=sys.stderr)
        return label, False, timeout, 0


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("paths", nargs="*", type=Path)
    ap.add_argument("--answers", type=Path, default=ROOT / "answers")
    ap.add_argument("--timeout", type=float, default=10.0)
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--plain-only", action="store_true")
    ap.add_argument("--configs", help="comma-separated labels to run (default: all)")
    args = ap.parse_args(argv)
    configs = [c for c in CONFIGS if not args.configs or c[0] in args.configs.split(",")]
    jobs = []
    for e in load_corpus(args.paths or None):
        f = args.answers / e.path.parent.name / f"{e.path.stem}.txt"
        if f.exists() and (e.plain or not args.plain_only):
            jobs += [(e.path, e.function, f, cfg, args.timeout) for cfg in configs]
    with ProcessPoolExecutor(args.jobs) as pool:
        results = list(pool.map(run, jobs))
    kernels = len(jobs) // max(1, len(configs))
    print(f"{'configuration':<28} {'solved':>9} {'median s':>9} {'median cand.':>13}")
    for label, *_ in configs:
        rows = [r for r in results if r[0] == label]
        solved = [r for r in rows if r[1]]
        med_t = statistics.median(r[2] for r in rows) if rows else float("nan")
        med_c = statistics.median(r[3] for r in solved) if solved else 0
        print(f"{label:<28} {len(solved):>4}/{kernels:<4} {med_t:>9.2f} {med_c:>13}")


if __name__ == "__main__":
    main()
