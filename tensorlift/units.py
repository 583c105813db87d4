"""What a file is lifted as: its functions, and the loop nests inside them (regions).

A function that takes or returns arrays is tried whole first; when it is not lifted (it
calls something tensorlift does not model, or it is no single tensor computation, like a
forward pass), its regions are lifted instead (`c/regions.py`), and a region that is not
lifted gives way to the nests inside it. A region that is all the function does is not
tried again after the function. Functions that take no arrays (`main`, a driver) are
looked at for regions only.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterator, Optional, Union

from .c import ast as A
from .c.frontend import Unit
from .c.outline import outline
from .c.regions import Region, find_regions, whole_body
from .errors import TensorliftError


@dataclass
class Attempt:
    """One unit tried: a function (region None) or a region of it, and what came of it: a
    result (anything with `status`), or the error that stopped it."""
    function: str
    region: Optional[str]
    outcome: object

    @property
    def name(self) -> str:
        return f"{self.function}:{self.region}" if self.region else self.function

    @property
    def lifted(self) -> bool:
        return getattr(self.outcome, "status", None) == "lifted"


LiftOne = Callable[[A.Kernel], object]
"""Lifts one kernel; may raise (the attempt then holds the exception)."""


def split_name(name: str) -> tuple[str, Optional[str]]:
    """`forward:120-131` -> ("forward", "120-131"); a plain name has no region."""
    fn, sep, lines = name.rpartition(":")
    if sep and fn and lines.replace("-", "").isdigit() and lines.count("-") == 1:
        return fn, lines
    return name, None


def attempts(unit: Unit, lift_one: LiftOne, names: Optional[list[str]] = None) -> Iterator[Attempt]:
    """Every unit of the file's functions (or of those named; a name may be a region,
    `function:START-END`), lifted in order."""
    kernels = set(unit.candidates())
    for name in names if names is not None else unit.functions():
        function, lines = split_name(name)
        if lines is not None:
            yield _region_attempt(unit, function, lines, lift_one)
            continue
        tried_whole = False
        error = None
        if names is not None or function in kernels and function != "main":
            try:
                kernel = unit.kernel(function)
            except TensorliftError as e:
                error = e
            else:
                got = _attempt(function, None, lambda: lift_one(kernel))
                yield got
                if got.lifted:
                    continue
                tried_whole = True
        regions = find_regions(unit, function) if function in unit.defs else []
        if error is not None and not regions:
            yield Attempt(function, None, error)
        for r in regions:
            yield from _nest(unit, r, lift_one, skip=tried_whole and whole_body(unit, function, r))


def _nest(unit: Unit, region: Region, lift_one: LiftOne, skip: bool = False) -> Iterator[Attempt]:
    """A region, and the nests inside it when it is not lifted."""
    if not skip:
        got = _attempt(region.function, region.lines, lambda: lift_one(outline(unit, region)))
        yield got
        if got.lifted:
            return
    for child in region.children:
        yield from _nest(unit, child, lift_one)


def _region_attempt(unit: Unit, function: str, lines: str, lift_one: LiftOne) -> Attempt:
    from .c.outline import region_kernel
    return _attempt(function, lines, lambda: lift_one(region_kernel(unit, function, lines)))


def _attempt(function: str, region: Optional[str], run: Callable[[], object]) -> Attempt:
    try:
        outcome: Union[object, Exception] = run()
    except KeyboardInterrupt:
        raise
    except Exception as e:          # one unit's failure, even a bug of ours, stops no other
        outcome = e
    return Attempt(function, region, outcome)
