"""Turning C names (struct fields included) into names a target language accepts.

`a.vals` becomes `a_vals` in Python and `avals` in tensora. The mapping is deterministic:
names are taken in a fixed order (parameters in C order, then the returned value, then
temporaries in program order) and a name whose cleaned form is already taken gets the
first free suffix `_2`, `_3`, ... (`2`, `3`, ... for tensora).
"""
from __future__ import annotations

import keyword
import re

# Names the emitted modules use for themselves; a tensor never gets one of these.
PYTHON_RESERVED = frozenset({
    "np", "torch", "jax", "jnp", "math", "tensora",
    "_c_div", "_evaluate", "_from_c", "_to_c",
    # builtins the emitted code calls
    "float", "int", "tuple", "dict",
})


def python_ident(name: str) -> str:
    """`a.dimensions[0]` -> `a_dimensions_0`, `a->vals` -> `a_vals`; keywords get a `_`."""
    s = re.sub(r"\W+", "_", name).rstrip("_") or "t"
    if s[0].isdigit():
        s = "t" + s
    if keyword.iskeyword(s) or keyword.issoftkeyword(s):
        s += "_"
    return s


def tensora_ident(name: str) -> str:
    """tensora accepts `[A-Za-z][A-Za-z0-9]*` only: `a.vals` -> `avals`."""
    s = re.sub(r"[^A-Za-z0-9]+", "", name) or "t"
    if not s[0].isalpha():
        s = "t" + s
    return s


class Namer:
    """Gives each distinct source name a distinct target name, first come first served."""

    def __init__(self, clean=python_ident, reserved=PYTHON_RESERVED, sep: str = "_"):
        self._clean = clean
        self._sep = sep
        self._taken: set[str] = set(reserved)
        self._given: dict[str, str] = {}

    def __call__(self, name: str) -> str:
        if name not in self._given:
            self._given[name] = self.fresh(name)
        return self._given[name]

    def fresh(self, name: str) -> str:
        """A new target name based on `name`, never given before (not remembered for `name`)."""
        base = self._clean(name)
        cand, k = base, 2
        while cand in self._taken or keyword.iskeyword(cand):
            cand, k = f"{base}{self._sep}{k}", k + 1
        self._taken.add(cand)
        return cand

    def reserve(self, name: str) -> None:
        self._taken.add(name)

    def taken(self) -> set[str]:
        return set(self._taken)
