"""`tensorlift bench` on the command line: options, the run, the summary."""
from __future__ import annotations

import argparse
import signal
import sys

from typing import Optional, Sequence

from ..backends import targets_of
from ..errors import EXIT_BAD_INPUT, EXIT_INTERRUPTED, EXIT_NOT_FOUND, EXIT_OK, TensorliftError
from ..modes import GUIDES
from ..options import POSITIVE, Parser, add_input_options, add_lift_options, build_flags, epilog, number
from . import DEFAULT_GRACE, DEFAULT_MEMORY_GIB, DEFAULT_TIMEOUT, EXECUTORS
from .records import summary_lines
from .runner import run_batch


def add_bench_options(p: argparse.ArgumentParser) -> argparse.ArgumentParser:
    p.add_argument("paths", nargs="+", metavar="PATH",
                   help="C/C++ files or directories (searched recursively for *.c, *.cc, *.cpp, *.cxx)")
    p.add_argument("--jobs", "-j", type=number(int, least=1), default=None, metavar="N",
                   help="kernels lifted at once (default: all cores; with --executor ray and --ray-address, "
                        "the cluster's CPUs)")
    add_lift_options(p, timeout=DEFAULT_TIMEOUT, targets_default="none, or numpy with --emit")
    p.add_argument("--emit", metavar="DIR",
                   help="write into DIR one module per source file and target, with every lifted kernel of "
                        "the file, each checked on its examples as lift checks it (default: no code written)")
    p.add_argument("--grace", type=number(least=0), default=DEFAULT_GRACE, metavar="SECONDS",
                   help="a worker still on a kernel this long after the timeout is killed with its "
                        f"children and replaced (default {DEFAULT_GRACE:g})")
    p.add_argument("--memory", type=POSITIVE, default=DEFAULT_MEMORY_GIB, metavar="GIB",
                   help=f"address-space limit of one worker in GiB (default {DEFAULT_MEMORY_GIB:g})")
    p.add_argument("--report", action="append", default=[], metavar="FILE",
                   help="write a report, kept up to date as kernels finish: .json, .csv or .html "
                        "(may be repeated; default: none, the summary only)")
    p.add_argument("--resume", action="store_true",
                   help="skip the kernels already in the (first) report; CSV/HTML reports keep their records in FILE.json")
    p.add_argument("--executor", default="local", choices=EXECUTORS,
                   help="local: warm worker processes on this machine (default); "
                        "ray: each kernel a Ray task (pip install 'tensorlift[ray]')")
    p.add_argument("--ray-address", metavar="ADDR",
                   help="with --executor ray: the cluster to join, e.g. HOST:6379 or auto "
                        "(default: start a local Ray instance for this run)")
    add_input_options(p, "lift only the function of this name in each file, skipping files without it "
                         "(default: every kernel of each file)")
    return p


def add_bench_parser(subparsers) -> argparse.ArgumentParser:
    """Register `bench` on the CLI's subparsers (the CLI runs it with cmd_bench)."""
    p = subparsers.add_parser("bench", help="lift every kernel of many files in parallel, with reports",
                              description="Lift every kernel of many C/C++ files in parallel warm worker "
                                          "processes (or Ray tasks), each kernel isolated, with reports.",
                              epilog=BENCH_EPILOG)
    add_bench_options(p)
    return p


BENCH_EPILOG = epilog("0 the batch ran, whatever each kernel came to", "1 --function named no function of any input",
                      "130 also on SIGTERM; the reports keep every kernel finished, --resume continues")


def _error(message: str, code: int) -> int:
    print(f"tensorlift: error: {message}", file=sys.stderr)
    return code


def _raise_interrupt(signum, frame):
    raise KeyboardInterrupt


def _check(args) -> str | None:
    """What is wrong with the options, or None."""
    if args.ray_address and args.executor != "ray":
        return "--ray-address needs --executor ray"
    if args.guide not in GUIDES:
        return f"unknown guide '{args.guide}' (choose from {', '.join(GUIDES)})"
    return None


def cmd_bench(args) -> int:
    """Run `tensorlift bench` with parsed options; returns the exit code."""
    problem = _check(args)
    if problem:
        return _error(problem, EXIT_BAD_INPUT)
    try:
        targets = targets_of(args.target) if args.target else ["numpy"] if args.emit else []
    except TensorliftError as e:
        return _error(str(e), EXIT_BAD_INPUT)
    old_term = None
    try:
        old_term = signal.signal(signal.SIGTERM, _raise_interrupt)
    except ValueError:    # not the main thread
        pass
    try:
        result = run_batch(args.paths, jobs=args.jobs, timeout=args.timeout, guide=args.guide,
                           function=args.function, reports=args.report, resume=args.resume,
                           grace=args.grace, memory_gib=args.memory, progress=sys.stderr,
                           require_proof=args.require_proof, build=build_flags(args),
                           executor=args.executor, ray_address=args.ray_address, verify=args.verify,
                           bound=args.bound, targets=targets, emit=args.emit)
    except TensorliftError as e:
        return _error(str(e), EXIT_BAD_INPUT)
    except KeyboardInterrupt:
        return _error("interrupted (the reports keep every kernel finished so far; --resume continues)",
                      EXIT_INTERRUPTED)
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
    if args.emit:
        print(f"code: {len(result.modules)} module(s) in {args.emit}", file=sys.stderr)
    return EXIT_OK


def _parser() -> argparse.ArgumentParser:
    p = Parser(prog="python -m tensorlift.bench.runner", epilog=BENCH_EPILOG,
               description="Lift every kernel of many C files (the `tensorlift bench` command).")
    add_bench_options(p)
    return p


def main(argv: Optional[Sequence[str]] = None) -> int:
    """`python -m tensorlift.bench.runner`: the bench command alone."""
    try:
        args = _parser().parse_args(argv)
    except SystemExit as e:          # --help, or a usage error (said on stderr)
        return int(e.code or 0)
    return cmd_bench(args)
