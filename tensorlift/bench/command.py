"""`tensorlift bench` on the command line: options, the run, the summary."""
from __future__ import annotations

import argparse
import signal
import sys

from ..errors import TensorliftError
from .records import summary_lines
from .runner import (DEFAULT_GRACE, DEFAULT_MEMORY_GIB, DEFAULT_TIMEOUT, EXIT_BAD_INPUT, EXIT_NOT_FOUND,
                     EXIT_OK, run_batch)

def add_bench_options(p: argparse.ArgumentParser) -> argparse.ArgumentParser:
    p.add_argument("paths", nargs="+", metavar="PATH", help="C files or directories (searched recursively for *.c)")
    p.add_argument("--jobs", "-j", type=int, default=None, metavar="N",
                   help="kernels lifted at once, each in its own process (default: all cores)")
    p.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT, metavar="SECONDS",
                   help=f"time limit of the search for one kernel (default {DEFAULT_TIMEOUT:g})")
    p.add_argument("--grace", type=float, default=DEFAULT_GRACE, metavar="SECONDS",
                   help=f"a worker still running this long after the timeout is killed (default {DEFAULT_GRACE:g})")
    p.add_argument("--memory", type=float, default=DEFAULT_MEMORY_GIB, metavar="GIB",
                   help=f"address-space limit of one worker in GiB (default {DEFAULT_MEMORY_GIB:g})")
    p.add_argument("--report", action="append", default=[], metavar="FILE",
                   help="write a report, rewritten after every kernel: .json, .csv or .html (may be repeated)")
    p.add_argument("--resume", action="store_true",
                   help="skip the kernels already in the (first) report; CSV/HTML reports keep their records in FILE.json")
    p.add_argument("--function", metavar="NAME", help="lift only the function of this name in each file")
    p.add_argument("--guide", default="auto", metavar="G",
                   help="guidance of the search, as for lift (default auto: a configured model with static features, else static)")
    return p


def add_bench_parser(subparsers) -> argparse.ArgumentParser:
    """Register `bench` on the CLI's subparsers; its handler is cmd_bench."""
    p = subparsers.add_parser("bench", help="lift every kernel of many files in parallel, with reports",
                              description="Lift every kernel of many C files in parallel worker processes.")
    add_bench_options(p)
    p.set_defaults(handler=cmd_bench)
    return p


def _error(message: str, code: int) -> int:
    print(f"tensorlift: error: {message}", file=sys.stderr)
    return code


def _raise_interrupt(signum, frame):
    raise KeyboardInterrupt


def cmd_bench(args) -> int:
    """Run `tensorlift bench` with parsed options; returns the exit code."""
    if args.jobs is not None and args.jobs < 1:
        return _error("--jobs must be at least 1", EXIT_BAD_INPUT)
    if not args.timeout > 0:
        return _error("--timeout must be positive", EXIT_BAD_INPUT)
    if args.grace < 0 or not args.memory > 0:
        return _error("--grace must be >= 0 and --memory positive", EXIT_BAD_INPUT)
    try:
        from ..pipeline import GUIDES
    except Exception:
        GUIDES = None
    if GUIDES is not None and args.guide not in GUIDES:
        return _error(f"unknown guide '{args.guide}' (choose from {', '.join(GUIDES)})", EXIT_BAD_INPUT)
    old_term = None
    try:
        old_term = signal.signal(signal.SIGTERM, _raise_interrupt)
    except ValueError:    # not the main thread
        pass
    try:
        result = run_batch(args.paths, jobs=args.jobs, timeout=args.timeout, guide=args.guide,
                           function=args.function, reports=args.report, resume=args.resume,
                           grace=args.grace, memory_gib=args.memory, progress=sys.stderr)
    except TensorliftError as e:
        return _error(str(e), EXIT_BAD_INPUT)
    except KeyboardInterrupt:
        return _error("interrupted (the reports keep every kernel finished so far)", EXIT_BAD_INPUT)
    finally:
        if old_term is not None:
            signal.signal(signal.SIGTERM, old_term)
    if args.function and not result.records:
        return _error(f"function '{args.function}' is not defined in any input file", EXIT_NOT_FOUND)
    s = result.summary
    if result.skipped:
        print(f"resumed: {result.skipped} kernel(s) already in the report were skipped", file=sys.stderr)
    for line in summary_lines(s, result.wall_seconds, result.busy_seconds, result.resumed, result.jobs):
        print(line)
    for path in args.report:
        print(f"report: {path}", file=sys.stderr)
    return EXIT_OK


