"""`tensorlift bench`'s options, for the CLI's parser and the runner's own (runner.py runs
the command)."""
from __future__ import annotations

import argparse

from ..options import POSITIVE, add_input_options, add_lift_options, epilog, number
from . import DEFAULT_GRACE, DEFAULT_MEMORY_GIB, DEFAULT_TIMEOUT, EXECUTORS


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
