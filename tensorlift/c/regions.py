"""Regions: the loop nests inside a function that can be lifted on their own.

Real code keeps its kernels inline: a benchmark's loops sit in timing functions between
calls that initialise arrays and read clocks, a transformer's forward pass holds residual
adds and attention loops between calls to its own helpers. A region is a loop nest that
reads or writes memory (arrays, pointers, struct fields) and contains no call with unknown
effects; calls to functions whose bodies tensorlift has (the file's own, or another file's
of the project) are followed, and modelled library functions (`expf`, `memset`) are fine.

A loop whose body calls something opaque (`dummy(a, b)`, `printf`) is no region: the nests
inside it are looked at instead, so a repetition loop around a kernel (`for (nl = 0; nl <
iterations; nl++) { <kernel>; dummy(...); }`) leaves the kernel as the region. Regions are
maximal; each keeps the nests directly inside it (`children`), which are lifted in its
place when it is not lifted as a whole (a layer loop of a forward pass is not one program,
its attention and residual loops are).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

from .ast import Span
from .clang import ci, unary_operator
from .frontend import ASSERT_FAILS, Unit, callee_name
from .interp import known_function

K = ci.CursorKind
LOOPS = (K.FOR_STMT, K.WHILE_STMT, K.DO_STMT)


@dataclass
class Region(Span):
    """A loop nest of `function`, at source lines start..end (its own file's)."""
    cursor: object = field(default=None, repr=False, compare=False)
    children: list["Region"] = field(default_factory=list, repr=False, compare=False)


def find_regions(unit: Unit, function: str) -> list[Region]:
    """The maximal regions of a function, in source order."""
    body = next((c for c in unit.defs[function].get_children() if c.kind == K.COMPOUND_STMT), None)
    return _Finder(unit, function).within(body) if body is not None else []


def whole_body(unit: Unit, function: str, region: Region) -> bool:
    """Whether a region is all the function does: besides it, the body only declares
    variables and returns (lifting the function is lifting the region)."""
    body = next((c for c in unit.defs[function].get_children() if c.kind == K.COMPOUND_STMT), None)
    rest = [c for c in body.get_children() if c.hash != region.cursor.hash] if body is not None else []
    return len(rest) < len(list(body.get_children())) and \
        all(c.kind in (K.DECL_STMT, K.RETURN_STMT, K.NULL_STMT) for c in rest)


def region_by_lines(unit: Unit, function: str, lines: str) -> Optional[Region]:
    """The region (or nested region) of a function at `START-END`, if any."""
    todo = find_regions(unit, function)
    while todo:
        r = todo.pop(0)
        if r.lines == lines:
            return r
        todo += r.children
    return None


class _Finder:
    def __init__(self, unit: Unit, function: str):
        self.unit = unit
        self.function = function
        self.opaque_fns: dict[str, bool] = {}       # function name -> calls something opaque

    def within(self, cursor) -> list[Region]:
        """The maximal regions inside a statement (not the statement itself)."""
        out: list[Region] = []
        for c in cursor.get_children():
            out += self.at(c)
        return out

    def at(self, c) -> list[Region]:
        if c.kind in LOOPS and _own_text(c, self.unit) and not self.opaque(c) and _touches_memory(c, self.unit):
            return [Region(self.function, c.extent.start.line, c.extent.end.line, c, self.within(_loop_body(c)))]
        if c.kind.is_expression():
            return []
        return self.within(c)

    def opaque(self, cursor) -> bool:
        """Whether a statement calls something whose effects are unknown (directly or in a
        function it calls)."""
        for c in cursor.walk_preorder():
            if c.kind != K.CALL_EXPR:
                continue
            kids = list(c.get_children())
            name = callee_name(kids[0]) if kids else None
            if name is None:
                return True                       # through a function pointer
            if name in ASSERT_FAILS:
                continue
            found = self.unit.definition(name)
            if found is None:
                if known_function(name):
                    continue
                return True
            if name not in self.opaque_fns:
                self.opaque_fns[name] = False     # recursion: decided by the rest
                self.opaque_fns[name] = _Finder(found[0], name).opaque(found[1])
            if self.opaque_fns[name]:
                return True
        return False


def _loop_body(c):
    kids = list(c.get_children())
    return kids[0] if c.kind == K.DO_STMT else kids[-1]


def _own_text(c, unit: Unit) -> bool:
    """A loop written out in the file itself (not produced by a macro or in a header), so
    that its text can be compiled again on its own."""
    start, end = c.extent.start, c.extent.end
    name = unit.main_file
    return start.file is not None and end.file is not None and start.file.name == name == end.file.name \
        and c.location.file is not None and c.location.file.name == name \
        and c.location.offset == start.offset


def _touches_memory(cursor, unit: Unit) -> bool:
    """Whether a statement reads or writes through a subscript, a pointer or a call of a
    function with a body (which may)."""
    for c in cursor.walk_preorder():
        if c.kind == K.ARRAY_SUBSCRIPT_EXPR:
            return True
        if c.kind == K.UNARY_OPERATOR and unary_operator(c) == "*":
            return True
        if c.kind == K.CALL_EXPR:
            kids = list(c.get_children())
            name = callee_name(kids[0]) if kids else None
            if name is not None and unit.definition(name) is not None:
                return True
    return False
