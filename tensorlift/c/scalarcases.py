"""Branches on scalar parameters alone (a blend that takes `active` or `base` by
`opacity - r >= 0`): analysis and the examples must see both sides, or the side never taken
leaves an array unread, its layout unknown and its part of the program unchecked.

Values for the scalars are drawn until every such condition has come out both ways; the
conditions are evaluated by the interpreter on the drawn values alone.
"""
from __future__ import annotations

from typing import Callable

from ..errors import TensorliftError
from . import ast as A
from .interp import Interpreter

DRAWS = 64
"""Draws tried for each side of each condition."""


def scalar_conditions(kernel: A.Kernel, names: set[str]) -> list:
    """The conditions of `if` and `?:` that read only the scalar parameters `names` (and
    constants): at least one of them, and nothing else."""
    out = []
    for node in A.walk(kernel.function.body):
        if isinstance(node, (A.If, A.Cond)):
            read = {n.name for n in A.walk(node.cond) if isinstance(n, A.Name) and n.scope != "function"}
            other = any(isinstance(n, (A.Index, A.Member, A.Assign)) or isinstance(n, A.Unary) and n.op in ("*", "&")
                        for n in A.walk(node.cond))
            if read and read <= names and not other:
                out.append(node.cond)
    return out


def truths(kernel: A.Kernel, conditions: list, values: dict) -> tuple:
    """Each condition's truth at these values of the scalars (None where it cannot be told)."""
    out = []
    for cond in conditions:
        try:
            out.append(bool(Interpreter(kernel).value_of(cond, values)))
        except (TensorliftError, ArithmeticError, ValueError):
            out.append(None)
    return tuple(out)


def both_sides(kernel: A.Kernel, conditions: list, draw: Callable[[], dict]) -> list[dict]:
    """Values of the scalars (from `draw`) under which each condition is true in one and
    false in another; [] when there are no conditions. A side no draw reaches is left out."""
    found: list[dict] = []
    seen: set = set()
    for k in range(len(conditions)):
        for want in (True, False):
            if (k, want) in seen:
                continue
            for _ in range(DRAWS):
                values = draw()
                t = truths(kernel, conditions, values)
                if t[k] is want:
                    found.append(values)
                    seen |= {(j, v) for j, v in enumerate(t) if v is not None}
                    break
    return found
