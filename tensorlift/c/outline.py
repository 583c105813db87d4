"""Outlining: a region of a function (`c/regions.py`) as a kernel of its own, as an OpenMP
outliner makes a parallel loop a function.

The region's inputs are the variables of the enclosing function it uses (its parameters
and locals declared before it): they become the parameters of a synthetic function whose
body is the region, in the order they are declared, under their own names. Struct pointers
and globals keep theirs, so their fields and arrays are named as the code names them
(`s.x`, `p.dim`, `aa`). A scalar the region writes that is read after it (before being set
again) is an output: a pointer to one element, copied in and out. A scalar the region sets
before reading it, and that is dead after it (a loop counter declared at the top), is a
local of the region. The kernel then goes through analysis, examples, search and both
provers like any function.

Examples run the region compiled from the user's own translation unit with the user's
flags: the harness compiles the user's file with a function `tl_region` after it, whose
parameters are the region's inputs and whose body is the region's own text
(`Kernel.region`).
"""
from __future__ import annotations

from dataclasses import dataclass

from ..errors import TensorliftError, UnsupportedConstruct
from . import ast as A
from .clang import binary_operator, ci, unary_operator, var_init
from .frontend import Unit, _at_file_scope, _Converter, _line, c_declarator
from .nodes import normalised
from .regions import LOOPS, Region, region_by_lines

K = ci.CursorKind
T = ci.TypeKind
_WRAPPERS = (K.UNEXPOSED_EXPR, K.PAREN_EXPR)
_CONDITIONAL = (K.IF_STMT, K.CONDITIONAL_OPERATOR)


@dataclass
class LiveIn:
    """A variable of the enclosing function that the region uses."""
    decl: object                  # its VAR_DECL or PARM_DECL cursor
    kind: str                     # "value" (a parameter) | "inout" (a scalar output) | "local"

    @property
    def name(self) -> str:
        return self.decl.spelling


def region_kernel(unit: Unit, function: str, lines: str) -> A.Kernel:
    """The kernel of the region of `function` at source lines `START-END`."""
    if function not in unit.defs:
        raise TensorliftError(f"function '{function}' not found (defined: {', '.join(unit.functions()) or 'none'})")
    region = region_by_lines(unit, function, lines)
    if region is None:
        raise TensorliftError(f"no region of {function} at lines {lines}")
    return outline(unit, region)


def outline(unit: Unit, region: Region) -> A.Kernel:
    if unit.language != "c":
        raise UnsupportedConstruct("a region of a C++ function (regions are lifted from C files; "
                                   "lift the function)")
    uses = _Uses(unit, region)
    live = uses.live_ins()
    name = f"{region.function}_{region.start}_{region.end}"
    conv = _RegionConverter(unit, {_key(v.decl): v for v in live})
    body = conv.stmt(region.cursor)
    if any(isinstance(n, A.Return) for n in A.walk(body)):
        raise UnsupportedConstruct("a return from inside the region", region.start)
    params, prologue, epilogue = [], [], []
    for v in live:
        t = conv.decl_type(v.decl)
        line = _line(v.decl)
        if v.kind == "local":
            prologue.append(A.Decl(region.start, v.name, t))
            continue
        if isinstance(t, A.Array):
            t = A.Pointer(t.elem)
        if v.kind == "inout":
            ptr = A.Pointer(t)
            copy = conv.renamed(v)
            params.append(A.Param(v.name, ptr, line))
            prologue.append(A.Decl(region.start, copy, t, A.Unary(region.start, "*", A.Name(region.start, v.name, ptr, "param"), t)))
            epilogue.append(A.ExprStmt(region.end, A.Assign(region.end, "=", A.Unary(
                region.end, "*", A.Name(region.end, v.name, ptr, "param"), t), A.Name(region.end, copy, t), t)))
            continue
        params.append(A.Param(v.name, t, line))
    fn = A.Function(name, params, A.VOID, A.Block(region.start, prologue + [body] + epilogue), region.start)
    conv.functions[name] = fn
    source = A.RegionSource(region.function, region.start, region.end, c_text=_c_text(unit, region, live))
    return normalised(conv.assemble(name, source))


class _RegionConverter(_Converter):
    """The front end's converter, reading the region's inputs as parameters of the
    outlined function (and an output scalar as its copy)."""

    def __init__(self, unit: Unit, live: dict):
        super().__init__(unit)
        self.live = live

    def renamed(self, v: LiveIn) -> str:
        return f"{v.name}__region"

    def name(self, c) -> A.Expr:
        r = c.referenced
        v = self.live.get(_key(r)) if r is not None else None
        if v is None:
            return super().name(c)
        t = self.type(c.type)
        if v.kind == "inout":
            return A.Name(_line(c), self.renamed(v), t, "local")
        return A.Name(_line(c), v.name, t, "local" if v.kind == "local" else "param")


def _key(decl) -> tuple:
    return (decl.spelling, decl.location.offset, decl.location.file.name if decl.location.file else "")


def _strip_up(c, parents):
    """The nearest ancestor of `c` that is not a paren or an implicit conversion, and the
    child of it on the way."""
    child, p = c, parents.get(_node(c))
    while p is not None and p.kind in _WRAPPERS:
        child, p = p, parents.get(_node(p))
    return p, child


def _node(c) -> tuple:
    return (c.hash, c.extent.start.offset, c.extent.end.offset, c.kind.value)


class _Uses:
    """What the enclosing function does with each variable the region uses: reads and
    writes, inside the region and after it."""

    def __init__(self, unit: Unit, region: Region):
        self.region = region
        self.fn = unit.defs[region.function]
        self.parents: dict = {}
        self.refs: dict[tuple, list] = {}            # variable -> its DECL_REF_EXPRs in the function
        self.decls: dict[tuple, object] = {}
        for c in self.fn.walk_preorder():
            for ch in c.get_children():
                self.parents[_node(ch)] = c
            if c.kind == K.DECL_REF_EXPR:
                r = c.referenced
                if r is not None and r.kind in (K.VAR_DECL, K.PARM_DECL) and not _at_file_scope(r):
                    self.refs.setdefault(_key(r), []).append(c)
                    self.decls[_key(r)] = r
        ext = region.cursor.extent
        self.lo, self.hi = ext.start.offset, ext.end.offset

    def inside(self, c) -> bool:
        return self.lo <= c.extent.start.offset and c.extent.end.offset <= self.hi

    def live_ins(self) -> list[LiveIn]:
        out = {}
        for key, refs in self.refs.items():
            decl = self.decls[key]
            mine = sorted((c for c in refs if self.inside(c)), key=lambda c: c.extent.start.offset)
            if not mine or (self.inside(decl) and decl.kind == K.VAR_DECL):
                continue                        # not used, or declared in the region
            out[key] = LiveIn(decl, self.kind(decl, mine))
        for v in list(out.values()):            # `double A[n][m]`: its sizes are inputs too
            init = var_init(v.decl) if v.decl.kind == K.VAR_DECL else None
            for size in v.decl.get_children():
                if not size.kind.is_expression() or (init is not None and size == init):
                    continue
                for c in size.walk_preorder():
                    r = c.referenced if c.kind == K.DECL_REF_EXPR else None
                    if r is not None and _key(r) in self.decls and _key(r) not in out:
                        out[_key(r)] = LiveIn(r, "value")
        return sorted(out.values(), key=lambda v: (v.decl.kind != K.PARM_DECL, v.decl.location.offset))

    def kind(self, decl, mine: list) -> str:
        canon = decl.type.get_canonical()
        written = [c for c in mine if self.access(c) != "read"]
        if canon.kind in (T.POINTER, T.RECORD) or canon.kind.name.endswith("ARRAY"):
            if written and canon.kind == T.POINTER and self.live_after(decl):
                raise UnsupportedConstruct(f"the region moves the pointer '{decl.spelling}', which the code "
                                           "uses after it", _line(mine[0]))
            return "value"
        if not written:
            return "value"
        if self.live_after(decl):
            return "inout"
        first = mine[0]
        return "local" if self.access(first) == "write" and not self.conditional(first, self.region.cursor) else "value"

    def access(self, ref) -> str:
        """"write" (`x = e`), "update" (`x += e`, `x++`, `&x`) or "read"."""
        p, child = _strip_up(ref, self.parents)
        if p is None:
            return "read"
        first = next(iter(p.get_children()), None)
        is_first = first is not None and _node(first) == _node(child)
        if p.kind == K.BINARY_OPERATOR and is_first and binary_operator(p) == "=":
            return "write"
        if p.kind == K.COMPOUND_ASSIGNMENT_OPERATOR and is_first:
            return "update"
        if p.kind == K.UNARY_OPERATOR and unary_operator(p) in ("++", "--", "p++", "p--", "&"):
            return "update"
        return "read"

    def conditional(self, c, top) -> bool:
        """Whether `c` runs only on some paths through `top` (under an if, a ?:, && or ||)."""
        p = self.parents.get(_node(c))
        while p is not None and _node(p) != _node(top):
            if p.kind in _CONDITIONAL or (p.kind == K.BINARY_OPERATOR and binary_operator(p) in ("&&", "||")):
                return True
            p = self.parents.get(_node(p))
        return False

    def live_after(self, decl) -> bool:
        """Whether the value the region leaves in a variable may be read: the next use of
        it after the region (later in the function, or earlier in a loop around the region,
        in its next iteration) is not a plain assignment that always runs."""
        loops = []
        p = self.parents.get(_node(self.region.cursor))
        while p is not None:
            if p.kind in LOOPS:
                loops.append(p)
            p = self.parents.get(_node(p))
        refs = [c for c in self.refs.get(_key(decl), []) if not self.inside(c)]
        later = sorted((c for c in refs if c.extent.start.offset > self.hi), key=lambda c: c.extent.start.offset)
        if loops:
            outer = loops[-1].extent.start.offset
            later += sorted((c for c in refs if outer <= c.extent.start.offset < self.lo),
                            key=lambda c: c.extent.start.offset)
        if not later:
            return False
        nxt = later[0]
        return not (self.access(nxt) == "write" and not self.conditional(nxt, self.fn))


def _c_text(unit: Unit, region: Region, live: list[LiveIn]) -> str:
    """`tl_region`: the region's own text in a function of its inputs, to compile after the
    user's file (so that its types, macros and static functions are in scope)."""
    params, pro, epi = [], [], []
    for v in live:
        if v.kind == "local":
            pro.append(f"  {c_declarator(v.decl, v.name)};")
        elif v.kind == "inout":
            ptr = f"tl_o_{v.name}"
            params.append(c_declarator(v.decl, f"*{ptr}"))
            pro.append(f"  {c_declarator(v.decl, v.name)} = *{ptr};")
            epi.append(f"  *{ptr} = {v.name};")
        else:
            params.append(c_declarator(v.decl, v.name, decay=True))
    ext = region.cursor.extent
    data = unit.text.encode("utf-8") if unit.path is None else unit.path.read_bytes()
    text = data[ext.start.offset:ext.end.offset].decode("utf-8", errors="replace")
    where = str(unit.path) if unit.path is not None else unit.main_file
    return "\n".join([f"static void tl_region({', '.join(params) or 'void'}) {{", *pro,
                      f'#line {region.start} "{where}"', " " * (ext.start.column - 1) + text + ";",
                      *epi, "}"]) + "\n"


def origins(kernel: A.Kernel, slots) -> dict[str, str]:
    """What each input of a region is in the C, for the emitted code's docstring."""
    fn = kernel.region.function
    out = {}
    for s in slots:
        if s.is_global:
            out[s.name] = f"the global {s.name}"
        elif s.macro:
            continue                # the docstring names the macro already
        elif s.field is not None:
            out[s.name] = f"the field {s.name} of {fn}'s {s.param}"
        else:
            out[s.name] = f"the variable {s.name} of {fn}"
    return out
