"""What a file is lifted as: its functions, and the loop nests inside them (regions).

A function that takes or returns arrays is a kernel and is tried whole first; when it is
not lifted (it is no single tensor computation, like a forward pass, or it calls what
tensorlift does not model, like a timing function calling `gettimeofday`), its regions are
lifted instead (`c/regions.py`), and a region that is not lifted gives way to the nests
inside it. A region that is all the function does is not tried again after the function.
A function that takes no arrays (`main`, a driver) is lifted as its regions only.
`lift` and `bench` both go this way: `bench` lists the first units of each file and queues
the follow-ups of a unit when its record comes.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterator, Optional, Union

from .c import ast as A
from .c.frontend import Unit
from .c.interp import NeverDefined
from .c.outline import region_kernel
from .c.regions import find_regions, region_by_lines, whole_body
from .errors import TensorliftError, UnsupportedConstruct

Item = tuple[str, Optional[str], Optional[int]]
"""A unit to lift: (function, region "START-END" or None for the whole function, first line)."""


@dataclass
class Attempt:
    """One unit tried, and what came of it: a result (anything with `status`), or the error
    that stopped it."""
    function: str
    region: Optional[str]
    outcome: object

    @property
    def name(self) -> str:
        return unit_name(self.function, self.region)

    @property
    def lifted(self) -> bool:
        return getattr(self.outcome, "status", None) == "lifted"


def unit_name(function: str, region: Optional[str]) -> str:
    """How the user reads a unit: `forward`, or a region as `forward:120-131`."""
    return f"{function}:{region}" if region else function


def split_name(name: str) -> tuple[str, Optional[str]]:
    """`forward:120-131` -> ("forward", "120-131"); a plain name has no region."""
    fn, sep, lines = name.rpartition(":")
    if sep and fn and lines.replace("-", "").isdigit() and lines.count("-") == 1:
        return fn, lines
    return name, None


def unit_kernel(unit: Unit, name: str) -> A.Kernel:
    """The kernel of a function, or of a region named `function:START-END`."""
    function, lines = split_name(name)
    return unit.kernel(function) if lines is None else region_kernel(unit, function, lines)


def first_units(unit: Unit, names: Optional[list[str]] = None) -> list[Item]:
    """The units of the file's functions (or of those named, if it defines them; a name may
    be a region) to try first, in source order."""
    kernels = set(unit.candidates())
    out: list[Item] = []
    for name in names if names is not None else unit.functions():
        function, lines = split_name(name)
        if function not in unit.defs:
            continue
        if lines is not None:
            out.append((function, lines, int(lines.split("-")[0])))
            continue
        if names is not None or (function in kernels and function != "main"):
            out.append((function, None, unit.defs[function].location.line))
        else:
            out += [(function, r.lines, r.start) for r in find_regions(unit, function)]
    return out


def follow_ups(unit: Unit, function: str, region: Optional[str]) -> list[Item]:
    """What to try when a unit is not lifted: a function's regions (the nests inside one
    that is all the function does), a region's nests. A nest on the very lines of the
    region around it (`for (...) { for (...) ... }` on one line) has its name: it is not
    tried again."""
    if region is not None:
        r = region_by_lines(unit, function, region)
        nests = r.children if r is not None else []
    else:
        nests = []
        for r in find_regions(unit, function) if function in unit.defs else []:
            nests += r.children if whole_body(unit, function, r) else [r]
    return [(function, r.lines, r.start) for r in nests if r.lines != region]


def splits(outcome) -> bool:
    """Whether a unit not lifted gives way to its regions: when it is no single tensor
    program (not found, or a construct or call the notation or tensorlift does not take),
    or the sizes tried leave it undefined (a size analysis chose makes a divisor 0: its
    parts may be fine). Not when its code crashes, hangs or exhausts memory when run (it is
    broken as a whole), runs too slowly to be analysed in the time limit (its nests are as
    slow) or computes what index notation cannot express (a recurrence or a triangular sum:
    its nests carry it), nor for what is no fault of the code (a model server down)."""
    if getattr(outcome, "final", False):
        return False
    if isinstance(outcome, (UnsupportedConstruct, NeverDefined)):
        return True
    return not isinstance(outcome, TensorliftError)      # a result not lifted, or a bug of ours


LiftOne = Callable[[A.Kernel], object]
"""Lifts one kernel; may raise (the attempt then holds the exception)."""


def attempts(unit: Unit, lift_one: LiftOne, names: Optional[list[str]] = None,
             regions: bool = True) -> Iterator[Attempt]:
    """Every unit of the file (or of the functions named), lifted in order, the follow-ups
    of a unit not lifted right after it (none with `regions` False)."""
    todo = list(reversed(first_units(unit, names)))
    while todo:
        function, region, _ = todo.pop()
        try:
            outcome: Union[object, Exception] = lift_one(unit_kernel(unit, unit_name(function, region)))
        except KeyboardInterrupt:
            raise
        except Exception as e:          # one unit's failure, even a bug of ours, stops no other
            outcome = e
        got = Attempt(function, region, outcome)
        yield got
        if regions and not got.lifted and splits(outcome):
            todo += reversed(follow_ups(unit, function, region))
