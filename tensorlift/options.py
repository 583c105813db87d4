"""What every command line of tensorlift shares: usage errors as one line (exit 2), numbers
checked as they are parsed, help that gives each option's default and choices, an epilog
naming the environment variables and the exit codes, and the options `lift` and `bench`
both take (the input and its build flags; the time limit, guidance, proof and targets)."""
from __future__ import annotations

import argparse
import math
import re
from typing import Callable

from .errors import EXIT_BAD_INPUT
from .modes import GUIDES, PROOF_SCOPES, TARGETS, VERIFY_MODES

DEFAULT_MEMORY_GIB = 8.0
"""The memory ceiling of `tensorlift lift`'s own process (--memory)."""

ENVIRONMENT = """\
environment:
  TENSORLIFT_MODEL      the model to ask for answers (any OpenAI-compatible chat server);
                        unset: no model, the search is guided by the code alone
  OPENAI_BASE_URL       the model's server (default https://api.openai.com/v1)
  OPENAI_API_KEY        its key (default "none", which local servers accept)
  TENSORLIFT_CACHE_DIR  where model answers and compiled harnesses are kept (default
                        $XDG_CACHE_HOME/tensorlift, else ~/.cache/tensorlift)
  TENSORLIFT_DEBUG      set to 1 to print the traceback of an internal error
  CC, CXX               the C and C++ compilers (default cc and c++, else gcc/g++, clang/clang++)"""

COMMON_EXITS = ("2 bad input (one line on stderr)", "3 internal error (TENSORLIFT_DEBUG=1 shows the traceback)",
                "130 interrupted (Ctrl-C)")


def epilog(*exits: str) -> str:
    """The environment variables, then the exit codes: the command's own, then the common ones."""
    lines = "\n".join(f"  {e}" for e in (*exits, *COMMON_EXITS))
    return f"{ENVIRONMENT}\n\nexit codes:\n{lines}"


class HelpFormatter(argparse.RawDescriptionHelpFormatter):
    """Every option's help says its default, and its choices when its metavar hides them."""

    def _get_help_string(self, action: argparse.Action) -> str:
        text = action.help or ""
        if action.choices is not None and action.metavar is not None \
                and not all(str(c) in text for c in action.choices):
            text += f" (one of {', '.join(map(str, action.choices))})"
        if action.option_strings and action.nargs != 0 and "default" not in text \
                and action.default not in (None, "", [], argparse.SUPPRESS):
            text += " (default %(default)s)"
        return text


class Parser(argparse.ArgumentParser):
    """An argument parser whose usage errors are one line and exit 2, as bad input does."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("formatter_class", HelpFormatter)
        super().__init__(*args, **kwargs)

    def error(self, message: str):
        m = re.match(r"argument (?:-+)?([\w-]+)(?:/\S+)?: invalid choice: '(.*)' \(choose from (.*)\)$", message)
        if m:    # as the API says it
            message = f"unknown {m[1]} '{m[2]}' (choose from {m[3].replace(chr(39), '')})"
        self.exit(EXIT_BAD_INPUT, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def number(kind: type = float, *, above: float | None = None, least: float | None = None) -> Callable[[str], float]:
    """An argparse type: a finite number of `kind` that is more than `above` or at least `least`."""
    what = "an integer" if kind is int else "a number"

    def parse(text: str):
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"'{text}' is not {what}") from None
        if not math.isfinite(value):
            raise argparse.ArgumentTypeError(f"must be a finite number, not {text}")
        if above is not None and not value > above:
            raise argparse.ArgumentTypeError(f"must be more than {above:g}, not {text}")
        if least is not None and not value >= least:
            raise argparse.ArgumentTypeError(f"must be at least {least:g}, not {text}")
        return value
    return parse


POSITIVE = number(above=0)
"""Seconds or GiB: more than 0."""


def add_input_options(p: argparse.ArgumentParser, function_help: str) -> None:
    """The file, the function and the build flags, as a compiler takes them."""
    p.add_argument("--function", metavar="NAME", help=function_help)
    g = p.add_argument_group("build flags (as the project's build has them; also read from a "
                             "compile_commands.json beside the file or in a parent directory)")
    g.add_argument("-I", dest="includes", action="append", default=[], metavar="DIR",
                   help="add a directory to the include path (-I DIR or -IDIR; may repeat)")
    g.add_argument("-D", dest="defines", action="append", default=[], metavar="NAME[=VALUE]",
                   help="define a macro (may repeat)")
    g.add_argument("-U", dest="undefines", action="append", default=[], metavar="NAME",
                   help="undefine a macro (may repeat)")
    g.add_argument("-std", dest="std", metavar="STANDARD",
                   help="the language standard, as -std=c99 or -std=c++17 (default: the compiler's)")
    g.add_argument("--cflags", default="", metavar="FLAGS",
                   help='more compiler flags in one string, e.g. --cflags "-DNDEBUG -Iinclude" (default: none)')
    g.add_argument("-p", dest="build_dir", metavar="BUILD_DIR",
                   help="the directory holding compile_commands.json (default: search from the file's directory up)")
    g.add_argument("-x", dest="language", choices=("c", "c++"),
                   help="the file's language (default: by suffix: .c/.h C; .cc/.cpp/.cxx C++)")


def add_lift_options(p: argparse.ArgumentParser, timeout: float, targets_default: str) -> None:
    """What lift and bench share: the time limit, the guidance, the proof and the targets."""
    p.add_argument("--timeout", type=POSITIVE, default=timeout, metavar="SECONDS",
                   help="time limit of the whole lift of one function: analysis, examples, search and "
                        f"proofs (default {timeout:g})")
    p.add_argument("--guide", default="auto", choices=GUIDES,
                   help="auto (default): the model's answers with static features of the code when a model "
                        "or --answers is given, static alone otherwise; llm: weights learned from the answers "
                        "only (the published method); static: the code alone; none: equal weights")
    p.add_argument("--verify", default="bounded", choices=VERIFY_MODES,
                   help="bounded (default): prove the program for every size the proof covers (all sizes by "
                        "induction, else every combination of sizes 1..--bound); none: examples only")
    p.add_argument("--bound", type=number(int, least=1), default=3, metavar="N",
                   help="a bounded proof covers every combination of sizes 1..N at least, and further where "
                        "the loops' own steps and tails need it (default 3)")
    p.add_argument("--require-proof", nargs="?", const="bounded", default=False, choices=PROOF_SCOPES,
                   metavar="SCOPE",
                   help="a program that is not proved counts as not lifted; all-sizes: unless proved for every "
                        "size (a kernel of fixed sizes, proved at them, counts); bounded (when SCOPE is left "
                        "out): any proof (default: a program not proved is reported as such)")
    p.add_argument("--target", metavar="LIST",
                   help=f"comma-separated, any of {','.join(TARGETS)}: code for each, run on the examples before "
                        f"it is shown (default: {targets_default})")
