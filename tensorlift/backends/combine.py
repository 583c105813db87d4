"""Several kernels' code as one module (`bench --emit`): the imports and helpers once, then
every kernel's function, each as it was checked on its own examples.

A Python module emitted for one kernel is blocks apart by two blank lines: its docstring
with the imports, the helpers it calls (`def _...`), then the kernel's function. TACO text
is a commented header and the statements: those are put one after the other.
"""
from __future__ import annotations

import re

_DEF = re.compile(r"def (\w+)\(")


def combine(target: str, sources: list[str], title: str) -> str:
    """One module for `target` holding the code of every source; `title` names where the
    kernels come from. A function name met twice (C++ overloads) gets a suffix: `f_2`."""
    if target == "taco":
        return "\n".join(sources)
    head: list[str] = []
    helpers: list[str] = []
    functions: list[str] = []
    names: set[str] = set()
    for src in sources:
        first, *blocks = src.rstrip("\n").split("\n\n\n")
        head += [ln for ln in first.split("\n")[1:] if ln.strip() and ln not in head]
        for block in blocks:
            if block.startswith("def _"):
                if block not in helpers:
                    helpers.append(block)
            else:
                functions.append(_renamed(block, names))
    imports = [ln for ln in head if ln.startswith(("import ", "from "))]
    rest = [ln for ln in head if ln not in imports]
    top = f'"""{title}, lifted from C by tensorlift ({target} back end)."""\n' + "\n".join(imports) \
        + ("\n\n" + "\n".join(rest) if rest else "")
    return "\n\n\n".join([top, *helpers, *functions]) + "\n"


def _renamed(block: str, names: set[str]) -> str:
    m = _DEF.match(block)
    if m is None:
        return block
    name, k = m.group(1), 2
    new = name
    while new in names:
        new, k = f"{name}_{k}", k + 1
    names.add(new)
    return block if new == name else f"def {new}(" + block[m.end():]
