"""Parameters flattened into slots: one per scalar or array the kernel sees.

A struct parameter becomes the fields the kernel uses (`a.vals`, `a.dimensions[0]`), in
order of first use; globals the kernel reads or writes come after the parameters, in
declaration order. Every later stage deals only with named scalars and arrays. `bind`
turns values for slots back into the arguments of a call to the interpreter.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Optional

from .. import carith
from ..errors import UnsupportedConstruct
from . import ast as A
from .interp import ROW_PITCH, Buffer, Ptr, StructVal, Vec, struct_pointer
from .ast import is_link, node_path, path_name
from .nodes import node_struct

SMALL_ARRAY = 16
"""A struct's array field of at most this many elements, used other than at constant
subscripts, is that many scalars (a node's dimensions)."""


@dataclass
class Slot:
    name: str                  # "A", "a.vals", "a.dimensions[0]"
    kind: str                  # "array" | "scalar"
    dtype: str                 # carith dtype of the element
    param: str                 # the C parameter (or global) it belongs to
    field: Optional[str] = None        # struct field name
    subscript: Optional[int] = None    # constant subscript of a pointer field (`dimensions[0]`)
    rows: bool = False                 # array reached through `T **`: rows allocated apart
    is_global: bool = False
    macro: bool = False                # a size given by a macro (`#define N 64`): set when compiling
    vector: bool = False               # a C++ std::vector (rows: a vector of vectors)
    sizes: tuple = ()                  # vector: the size slot of each level (None: size not asked)
    size_of: Optional[str] = None      # a vector's size (`base.size()`, `base[0].size()`): not a parameter
    is_return: bool = False            # the returned vector
    by_value: bool = False             # a vector passed by value: what the kernel writes stays its own
    fixed: tuple = ()                  # a std::array's size at each level (None: a vector's)
    via: tuple = ()                    # nodes on the way to the field: ((link field, k), ...) (`p->child[0]->x`)
    pinned: Optional[int] = None       # a node's field held at this value (c/nodes.py), not a parameter


def decayed(t: A.Type) -> A.Type:
    """A parameter's type as the function sees it: an array parameter is a pointer."""
    t = A.strip_ref(t)
    return A.Pointer(t.elem) if isinstance(t, A.Array) else t


def pointer_levels(t: A.Type) -> int:
    n = 0
    while isinstance(t, A.Pointer):
        n += 1
        t = t.target
    return n


def _array_slot(name: str, param: str, t: A.Type, line: int, **kw) -> Slot:
    levels = pointer_levels(t)
    elem = A.element(t)
    if not isinstance(elem, A.Scalar) or levels > 2 or (levels == 2 and isinstance(t.target.target, A.Array)):
        raise UnsupportedConstruct(f"'{name}' of this type (an array of structs or pointers)", line)
    return Slot(name, "array", elem.dtype, param, rows=levels == 2, **kw)


def _vector_slot(name: str, t: A.Vector, line: int, queried: dict, sizes: list[Slot], **kw) -> Slot:
    """A std::vector (of vectors): an array whose sizes are slots when the kernel asks them
    (a std::array's size is the constant it is)."""
    levels, inner, fixed = 0, t, []
    while isinstance(inner, A.Vector):
        fixed.append(inner.fixed)
        levels, inner = levels + 1, inner.elem
    if levels > 2 or not isinstance(inner, A.Scalar):
        raise UnsupportedConstruct(f"'{name}' of this type (vectors nested deeper, or of structs)", line)
    names = []
    for level in range(levels):
        if (name, level) in queried and fixed[level] is None:
            size = Slot(f"n{len(sizes)}", "scalar", "int", name,
                        size_of=name + "[0]" * level + ".size()")
            sizes.append(size)
            names.append(size.name)
        else:
            names.append(None)
    return Slot(name, "array", inner.dtype, name, rows=levels == 2, vector=True, sizes=tuple(names),
                fixed=tuple(fixed), **kw)


def vector_paths(kernel: A.Kernel) -> dict[tuple[str, str], tuple[str, int]]:
    """Which vector parameter (and level: 1 for its rows) each vector-valued name of each
    function stands for: a range-for variable over rows, a reference to a row, a helper's
    parameter given a row. Followed to a fixed point over the kernel's functions."""
    paths = {(kernel.name, p.name): (p.name, 0) for p in kernel.params
             if isinstance(A.strip_ref(p.type), A.Vector)}
    changed = True
    while changed:
        changed = False
        for f in kernel.functions.values():
            for node in A.walk(f.body):
                bound = []
                if isinstance(node, A.Loop) and node.over is not None:
                    path = path_of(paths, f.name, node.over)
                    if path:
                        bound.append(((f.name, node.init.name), (path[0], path[1] + 1)))
                elif isinstance(node, A.Decl) and isinstance(node.type, A.Ref) and node.init is not None:
                    path = path_of(paths, f.name, node.init)
                    if path:
                        bound.append(((f.name, node.name), path))
                elif isinstance(node, A.Call) and node.func in kernel.functions:
                    callee = kernel.functions[node.func]
                    for param, arg in zip(callee.params, node.args):
                        path = path_of(paths, f.name, arg)
                        if path:
                            bound.append(((callee.name, param.name), path))
                for key, path in bound:
                    if paths.get(key) != path:
                        paths[key] = path
                        changed = True
    return paths


def path_of(paths, function: str, e) -> Optional[tuple[str, int]]:
    """The (vector parameter, level) an expression of `function` stands for, if any."""
    level = 0
    while isinstance(e, (A.Index, A.Cast)):
        level += isinstance(e, A.Index)
        e = e.base if isinstance(e, A.Index) else e.expr
    if not isinstance(e, A.Name) or (function, e.name) not in paths:
        return None
    root, base = paths[(function, e.name)]
    return root, base + level


def queried_sizes(kernel: A.Kernel) -> dict:
    """(vector parameter, level) whose size the kernel asks (`.size()`, a range-for), in any
    of its functions."""
    paths = vector_paths(kernel)
    out = {}
    for f in kernel.functions.values():
        for node in A.walk(f.body):
            obj = node.obj if isinstance(node, A.Method) and node.method in ("size", "empty") else \
                node.over if isinstance(node, A.Loop) else None
            path = path_of(paths, f.name, obj) if obj is not None else None
            if path:
                out[path] = True
    return out


def flatten(kernel: A.Kernel) -> list[Slot]:
    slots: list[Slot] = []
    queried, sizes = queried_sizes(kernel), []
    for p in kernel.params:
        t = decayed(p.type)
        if isinstance(t, A.Vector):
            slots.append(_vector_slot(p.name, t, p.line, queried, sizes, by_value=not isinstance(p.type, A.Ref)))
        elif isinstance(p.type, A.Ref) and isinstance(t, A.Scalar):     # `double& out`: one element
            slots.append(Slot(p.name, "array", t.dtype, p.name))
        elif isinstance(t, A.Scalar):
            slots.append(Slot(p.name, "scalar", t.dtype, p.name))
        elif isinstance(t, A.Struct) or isinstance(t, A.Pointer) and isinstance(t.target, A.Struct):
            slots.extend(_struct_slots(kernel, p.name, t.target if isinstance(t, A.Pointer) else t))
        elif isinstance(t, A.Pointer):
            slots.append(_array_slot(p.name, p.name, t, p.line))
        else:
            raise UnsupportedConstruct(f"parameter '{p.name}' of this type", p.line)
    for g in kernel.globals.values():
        if g.const and g.init is not None:
            continue           # folded by the interpreter
        t = g.type
        if isinstance(t, A.Scalar):
            slots.append(Slot(g.name, "scalar", t.dtype, g.name, is_global=True))
        elif isinstance(t, A.Array):
            slots.append(_array_slot(g.name, g.name, A.Pointer(t.elem), g.line, is_global=True))
        else:
            raise UnsupportedConstruct(f"global '{g.name}' of this type", g.line)
    for m in kernel.macros.values():
        if not m.system:
            slots.append(Slot(m.name, "scalar", "int", m.name, macro=True))
    ret = A.strip_ref(kernel.returns)
    if isinstance(ret, A.Vector):
        slots.append(_vector_slot(kernel.name, ret, kernel.function.line, {}, sizes, is_return=True))
    return slots + sizes


def _struct_slots(kernel: A.Kernel, param: str, struct: A.Struct) -> list[Slot]:
    """Fields of a struct parameter, and of the nodes it points to at constant subscripts
    (`p->child[0]->x`), in order of first use in the kernel's functions; then the fields
    that normalisation pinned (c/nodes.py)."""
    uses: list[tuple[A.Member, tuple, Optional[int], Optional[A.Type]]] = []
    nonconst: set[tuple] = set()

    def visit(node, parent):
        path = node_path(node.base) if isinstance(node, A.Member) else None
        if path is not None and path[0] == param:
            via = path[1]
            sub = None
            if isinstance(parent, A.Index) and parent.base is node:
                if isinstance(parent.index, A.Lit) and isinstance(parent.index.value, int):
                    sub = parent.index.value
                else:
                    nonconst.add((via, node.field))
            cast = parent.type if isinstance(parent, A.Cast) and not parent.implicit else None
            if not is_link(kernel.field_type(node_struct(kernel, struct, via), node.field)) or sub is None:
                uses.append((node, via, sub, cast))
        for child in A.children(node):
            visit(child, node)

    visit(kernel.function.body, None)
    slots: list[Slot] = []
    seen: set[str] = set()
    for node, via, sub, cast in uses:
        ft = kernel.field_type(node_struct(kernel, struct, via), node.field)
        fname = node.field
        name = path_name(param, via, fname)
        if isinstance(ft, A.Scalar):
            slot = Slot(name, "scalar", ft.dtype, param, fname, via=via)
        elif (via, fname) not in nonconst and sub is not None and A.levels(ft) == 1 \
                and isinstance(A.element(ft), A.Scalar) and (carith.is_int(A.element(ft).dtype) or isinstance(ft, A.Array)):
            # metadata at a constant subscript (`dimensions[0]`); data there (`x[0]`) is an array
            name = f"{name}[{sub}]"
            slot = Slot(name, "scalar", A.element(ft).dtype, param, fname, sub, via=via)
        elif isinstance(ft, A.Pointer):
            slot = _array_slot(name, param, cast if isinstance(cast, A.Pointer) else ft, node.line,
                               field=fname, via=via)
        elif isinstance(ft, A.Array) and isinstance(ft.elem, A.Scalar) and isinstance(ft.size, A.Lit) \
                and ft.size.value <= SMALL_ARRAY:
            # a node's metadata (`int d[4]`, copied whole): one scalar per element
            for k in range(ft.size.value):
                if f"{name}[{k}]" not in seen:
                    seen.add(f"{name}[{k}]")
                    slots.append(Slot(f"{name}[{k}]", "scalar", ft.elem.dtype, param, fname, k, via=via))
            continue
        else:
            raise UnsupportedConstruct(f"use of struct field '{name}'", node.line)
        if slot.name not in seen:
            seen.add(slot.name)
            slots.append(slot)
    for (root, via, fname, sub), value in kernel.pinned.items():
        name = path_name(root, via, fname) + (f"[{sub}]" if sub is not None else "")
        if root == param and name not in seen:
            ft = A.element(kernel.field_type(node_struct(kernel, struct, via), fname))
            slots.append(Slot(name, "scalar", ft.dtype, param, fname, sub, via=via, pinned=value))
    return slots


def _struct_of(t: A.Type) -> A.Struct:
    return t.target if isinstance(t, A.Pointer) else t


def size_slots(slots: list[Slot], roles: dict[str, str]) -> list[Slot]:
    """The slots without the macros that size nothing (those stay the constants they are)
    and without vector sizes that size no loop."""
    return [s for s in slots if not (s.macro or s.size_of) or roles.get(s.name) in ("dimension", "stride")]


# ---------------------------------------------------------------- binding values to a call


def _size_vector(vec: Vec, slot: Slot, scalars: dict[str, Any]) -> None:
    """A parameter vector's sizes: those the kernel asks are slots; the others do not
    matter to the kernel (it reads what analysis fitted)."""
    def size(level):
        return slot.fixed[level] if slot.fixed[level] is not None else \
            scalars[slot.sizes[level]] if slot.sizes[level] else 0
    vec.size = size(0)
    if slot.rows:
        inner = size(1)
        elem = A.Scalar(slot.dtype)
        vec.rows = Buffer(slot.name + "/rows", init=lambda r: Vec(vec.buf, r * ROW_PITCH, inner, elem))


def array_pointer(slot: Slot, init: Callable[[int], Any], trace: Optional[list]) -> tuple[Any, Buffer]:
    """A fresh buffer for an array slot, and the pointer (or vector, sized by `bind`) the
    kernel receives."""
    buf = Buffer(slot.name, init=init, trace=trace)
    elem = A.Scalar(slot.dtype)
    if slot.vector:
        return Vec(buf, 0, 0, A.Vector(elem) if slot.rows else elem), buf
    if not slot.rows:
        return Ptr(buf, 0, elem), buf
    rows = Buffer(slot.name + "/rows", init=lambda r: Ptr(buf, r * ROW_PITCH, elem))
    return Ptr(rows, 0, A.Pointer(elem)), buf


def bind(kernel: A.Kernel, slots: list[Slot], scalars: dict[str, Any],
         arrays: dict[str, Ptr]) -> tuple[dict[str, Any], dict[str, Any], dict[str, int]]:
    """Arguments by C parameter name, values of the globals and of the size macros, from
    values of the slots (the interpreter's `call`)."""
    args: dict[str, Any] = {}
    globals_: dict[str, Any] = {}
    macros: dict[str, int] = {}
    structs: dict[str, StructVal] = {}
    nodes: dict[tuple, StructVal] = {}
    roots = {p.name: A.strip_ref(decayed(p.type)) for p in kernel.params}

    def node(param: str, via: tuple) -> StructVal:
        """The struct value a path leads to, made (with the links to it) on first use."""
        if not via:
            return structs.setdefault(param, StructVal({}))
        if (param, via) not in nodes:
            parent = node(param, via[:-1])
            link, k = via[-1]
            t = node_struct(kernel, _struct_of(roots[param]), via)
            holder = parent.fields.setdefault(link, Ptr(Buffer(path_name(param, via[:-1], link)), 0, A.Pointer(t)))
            nodes[(param, via)] = StructVal({})
            holder.buf.data[k] = struct_pointer(nodes[(param, via)], t)
        return nodes[(param, via)]

    for s in slots:
        if s.is_return or s.size_of is not None:
            continue
        value = s.pinned if s.pinned is not None else scalars[s.name] if s.kind == "scalar" else arrays[s.name]
        if s.macro:
            macros[s.name] = value
            continue
        if s.vector:
            _size_vector(value, s, scalars)
        if s.is_global:
            globals_[s.name] = value
            continue
        if s.field is None:
            args[s.name] = value
            continue
        sv = node(s.param, s.via)
        if s.subscript is None:
            sv.fields[s.field] = value
        else:
            holder = sv.fields.get(s.field)
            if holder is None:
                holder = sv.fields[s.field] = Ptr(Buffer(f"{s.param}.{s.field}"), 0, A.Scalar(s.dtype))
            holder.buf.data[s.subscript] = value
    for p in kernel.params:
        t = decayed(p.type)
        if p.name in structs:
            args[p.name] = struct_pointer(structs[p.name], t.target) if isinstance(t, A.Pointer) else structs[p.name]
        elif p.name not in args:
            args[p.name] = StructVal({})  # a struct parameter whose fields are never used
    return args, globals_, macros
