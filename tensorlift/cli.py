"""Command line: the parser, and the commands (commands.py) run on what it parsed.

Exit codes: 0 success; 1 not lifted / refuted / not proved; 2 bad input; 3 internal error (a
bug: rerun with TENSORLIFT_DEBUG=1 for the traceback); 130 interrupted (Ctrl-C)."""
from __future__ import annotations

import argparse
import os
import sys

from . import __version__
from .bench.command import add_bench_parser
from .errors import EXIT_INTERRUPTED
from .modes import ENUMERATORS, GRAMMAR_STYLES
from .options import DEFAULT_MEMORY_GIB, POSITIVE, Parser, add_input_options, add_lift_options, epilog, number


def _parser() -> argparse.ArgumentParser:
    p = Parser(prog="tensorlift", description="Lift C tensor kernels to verified TACO index notation.",
               epilog=epilog("0 success", "1 not lifted, refuted or not proved"))
    p.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = p.add_subparsers(dest="command", required=True, metavar="{analyze,lift,verify,bench}")

    a = sub.add_parser("analyze", help="show what each parameter of a kernel is, with examples",
                       description="The role of every parameter, array shapes and tied sizes, and examples from running the compiled C.",
                       epilog=epilog("0 analysed"))
    a.add_argument("file", help="a C or C++ source file")
    add_input_options(a, "the function to analyse (default: every function that takes or returns arrays)")
    a.add_argument("--json", action="store_true", help="one JSON object per function, one per line")
    a.add_argument("--examples", type=number(int, least=0), default=3, metavar="N",
                   help="examples to show (default 3; 0 for none)")

    lf = sub.add_parser("lift", help="lift a kernel to TACO index notation",
                        description="Find a TACO program equal to the C function, check it on examples of the "
                                    "compiled C, and prove it equivalent.",
                        epilog=epilog("0 lifted (every function asked for)", "1 a function was not lifted"))
    lf.add_argument("file", help="a C or C++ source file")
    lf.add_argument("others", nargs="*", metavar="OTHER",
                    help="other files of the project whose functions the file calls (compile_commands.json "
                         "lists them too)")
    add_input_options(lf, "the function to lift, or one of its regions as NAME:START-END (default: every "
                          "function that takes or returns arrays, main excepted, and the loop nests of the "
                          "functions that are not lifted whole)")
    add_lift_options(lf, timeout=60.0, targets_default="taco, or numpy when the program is beyond plain TACO")
    lf.add_argument("--memory", type=POSITIVE, default=DEFAULT_MEMORY_GIB, metavar="GIB",
                    help=f"memory ceiling of tensorlift's own process in GiB (default {DEFAULT_MEMORY_GIB:g})")
    lf.add_argument("--answers", metavar="FILE", help="recorded model answers, one per line (default: ask "
                    "the model TENSORLIFT_MODEL names, if any)")
    lf.add_argument("--samples", type=number(int, least=1), default=10, metavar="N",
                    help="answers to ask the model for (default 10)")
    lf.add_argument("--offline", action="store_true", help="replay model answers from the cache only")
    lf.add_argument("--grammar", default="learned", choices=GRAMMAR_STYLES,
                    help="grammar style (the published ablation; default learned)")
    lf.add_argument("--enumerator", default="top-down", choices=ENUMERATORS,
                    help="top-down (default): A* over the grammar; bottom-up: by cost with observational "
                         "equivalence")
    lf.add_argument("--no-translate", dest="translate", action="store_false",
                    help="search only: do not first try the statements read off the C code "
                         "(to measure the search and its guidance)")
    lf.add_argument("--check-answers", action="store_true",
                    help="check the model's answers as written instead of searching (a baseline)")
    lf.add_argument("--emit", metavar="DIR", help="write one file per target into DIR (default: print the code)")
    lf.add_argument("--speedup", action="store_true",
                    help="time the compiled C (-O2) against each Python target at a realistic size")
    lf.add_argument("--json", action="store_true", help="one JSON object per function, one per line")

    v = sub.add_parser("verify", help="prove a TACO program equivalent to a kernel",
                       description="Prove a program equal to the C function for every combination of sizes "
                                   "1..N, or show a counterexample.",
                       epilog=epilog("0 proved", "1 refuted or not proved"))
    v.add_argument("file", help="a C or C++ source file")
    v.add_argument("program", help="the program, e.g. 'y(i) = A(i,j) * x(j)'")
    add_input_options(v, "the function the program is for (default: the file's only kernel)")
    v.add_argument("--bound", type=number(int, least=1), default=3, metavar="N",
                   help="prove for every combination of sizes 1..N (default 3)")
    v.add_argument("--timeout", type=POSITIVE, default=300.0, metavar="SECONDS", help="time limit (default 300)")
    v.add_argument("--json", action="store_true", help="the result as JSON")
    add_bench_parser(sub)
    return p


def main(argv=None) -> int:
    args = _parser().parse_args(_join_cflags(sys.argv[1:] if argv is None else list(argv)))
    try:
        from . import commands       # the pipeline and libclang: not for --help, --version or a usage error
    except KeyboardInterrupt:
        print("tensorlift: error: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    return commands.run(args)


def entry() -> None:
    """The `tensorlift` program: `main`, then out at once. Tearing down NumPy, z3 and libclang
    at exit costs every run a tenth of a second and nothing a finished command needs (its
    output is flushed, its files closed); `bench` exits normally, so that an executor's own
    exit handlers run."""
    argv = sys.argv[1:]
    code = main(argv)
    if argv[:1] == ["bench"]:
        sys.exit(code)
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):     # a closed pipe (`| head`): nothing more to say
            pass
    os._exit(code)


def _join_cflags(argv: list[str]) -> list[str]:
    """`--cflags "-Iinclude -DN=4"`: a value that starts with '-' is taken as the value, as a
    compiler driver would, not as another option."""
    out, it = [], iter(argv)
    for a in it:
        out.append(f"--cflags={next(it, '')}" if a == "--cflags" else a)
    return out


if __name__ == "__main__":
    sys.exit(main())
