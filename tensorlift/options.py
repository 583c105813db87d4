"""What every command line of tensorlift shares: usage errors as one line (exit 2), numbers
checked as they are parsed, help that gives each option's default and choices, and an
epilog naming the environment variables and the exit codes."""
from __future__ import annotations

import argparse
import math
import re
from typing import Callable

from .errors import EXIT_BAD_INPUT

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
