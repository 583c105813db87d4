"""Parameters flattened into slots: one per scalar or array the kernel sees.

A struct parameter becomes the fields the kernel uses (`a.vals`, `a.dimensions[0]`),
in order of first use, so every later stage deals only with named scalars and arrays.
`bind` turns values for slots back into the arguments of a call to the interpreter.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Optional

from pycparser import c_ast, c_generator

from ..errors import UnsupportedConstruct
from .frontend import Array, CType, Kernel, Pointer, Scalar, Struct, base_scalar
from .interp import Buffer, Ptr, StructVal, struct_pointer

ROW_PITCH = 1 << 16
"""Offset between the rows of an `int **` array in the interpreter's flat buffer: far
apart, so the trace separates rows the way a stride parameter does."""


@dataclass
class Slot:
    name: str                  # "A", "a.vals", "a.dimensions[0]"
    kind: str                  # "array" | "scalar"
    dtype: str                 # "int" | "float" | "double"
    ctype: str                 # the C element type as written, for the harness
    param: str                 # the C parameter it belongs to
    field: Optional[str] = None        # struct field name
    subscript: Optional[int] = None    # constant subscript of a pointer field (`dimensions[0]`)
    rows: bool = False                 # array reached through `T **`: rows allocated apart


def _ctype_text(t: c_ast.Node) -> str:
    """The C text of a type with its declarator stripped (`float *restrict a` -> `float`)."""
    while isinstance(t, (c_ast.PtrDecl, c_ast.ArrayDecl, c_ast.TypeDecl, c_ast.Typename)):
        t = t.type
    if isinstance(t, c_ast.IdentifierType):
        return " ".join(t.names)
    if isinstance(t, c_ast.Struct):
        return f"struct {t.name}"
    return c_generator.CGenerator().visit(t)


def _param_decls(kernel: Kernel) -> dict[str, c_ast.Node]:
    fdecl = kernel.node.decl.type
    return {p.name: p.type for p in (fdecl.args.params if fdecl.args else []) if getattr(p, "name", None)}


def _levels(t: CType) -> int:
    n = 0
    while isinstance(t, Pointer):
        n += 1
        t = t.target
    return n


def flatten(kernel: Kernel) -> list[Slot]:
    decls = _param_decls(kernel)
    slots: list[Slot] = []
    for name, t in kernel.params:
        if isinstance(t, Scalar):
            slots.append(Slot(name, "scalar", _dtype(t), _ctype_text(decls[name]), name))
        elif isinstance(t, Pointer) and isinstance(t.target, Struct) or isinstance(t, Struct):
            struct = t.target if isinstance(t, Pointer) else t
            slots.extend(_struct_slots(kernel, name, struct, decls))
        elif isinstance(t, Pointer) and isinstance(base_scalar(t), Scalar) and _levels(t) <= 2 \
                and not (_levels(t) == 2 and isinstance(t.target.target, Array)):
            slots.append(Slot(name, "array", _dtype(base_scalar(t)), _ctype_text(decls[name]), name,
                              rows=_levels(t) == 2))
        else:
            raise UnsupportedConstruct(f"parameter '{name}' of this type", kernel.node.coord.line)
    return slots


def _dtype(t: Scalar) -> str:
    return t.name if t.name in ("float", "double") else "int"


def _struct_slots(kernel: Kernel, param: str, struct: Struct, decls) -> list[Slot]:
    """Fields of a struct parameter, in order of first use in the kernel's body."""
    uses: list[tuple[str, Optional[int], Optional[c_ast.Node]]] = []
    nonconst: set[str] = set()

    def walk(node, parent):
        if isinstance(node, c_ast.StructRef) and _root(node.name) == param:
            fname = node.field.name
            sub = None
            if isinstance(parent, c_ast.ArrayRef) and parent.name is node:
                if isinstance(parent.subscript, c_ast.Constant) and parent.subscript.type == "int":
                    sub = int(parent.subscript.value.rstrip("uUlL"), 0)
                else:
                    nonconst.add(fname)
            cast = parent.to_type if isinstance(parent, c_ast.Cast) else None
            uses.append((fname, sub, cast))
        for _, child in node.children():
            walk(child, node)

    walk(kernel.node.body, None)
    slots: list[Slot] = []
    seen: set[str] = set()
    for fname, sub, cast in uses:
        ft = struct.field_type(fname)
        if isinstance(ft, Scalar):
            key, slot = fname, Slot(f"{param}.{fname}", "scalar", _dtype(ft), "", param, fname)
        elif fname not in nonconst and sub is not None and _levels(ft) + isinstance(ft, Array) == 1:
            key = f"{fname}[{sub}]"
            slot = Slot(f"{param}.{key}", "scalar", _dtype(base_scalar(ft)), "", param, fname, sub)
        elif isinstance(ft, Pointer) and _levels(ft) <= 2:
            key = fname
            elem = kernel.types.resolve(cast) if cast is not None else ft
            ctext = _ctype_text(cast) if cast is not None else ""
            slot = Slot(f"{param}.{fname}", "array", _dtype(base_scalar(elem)), ctext, param, fname,
                        rows=_levels(ft) == 2)
        else:
            raise UnsupportedConstruct(f"use of struct field '{param}.{fname}'")
        if key not in seen:
            seen.add(key)
            slots.append(slot)
    return slots


def _root(node) -> Optional[str]:
    while True:
        if isinstance(node, c_ast.ID):
            return node.name
        if isinstance(node, c_ast.UnaryOp) and node.op == "*":
            node = node.expr
        elif isinstance(node, c_ast.Cast):
            node = node.expr
        else:
            return None


# ---------------------------------------------------------------- binding values to a call


def array_pointer(kernel: Kernel, slot: Slot, init: Callable[[int], Any], trace: Optional[list]) -> tuple[Ptr, Buffer]:
    """A fresh buffer for an array slot, and the pointer the kernel receives."""
    buf = Buffer(slot.name, init=init, trace=trace)
    if not slot.rows:
        return Ptr(buf, 0, Scalar(slot.dtype)), buf
    rows = Buffer(slot.name + "/rows", init=lambda r: Ptr(buf, r * ROW_PITCH, Scalar(slot.dtype)))
    return Ptr(rows, 0, Pointer(Scalar(slot.dtype))), buf


def bind(kernel: Kernel, slots: list[Slot], scalars: dict[str, Any], arrays: dict[str, Ptr]) -> dict[str, Any]:
    """Arguments by C parameter name, from values of the flattened slots."""
    args: dict[str, Any] = {}
    structs: dict[str, StructVal] = {}
    for s in slots:
        value = scalars[s.name] if s.kind == "scalar" else arrays[s.name]
        if s.field is None:
            args[s.name] = value
            continue
        sv = structs.setdefault(s.param, StructVal({}))
        if s.subscript is None:
            sv.fields[s.field] = value
        else:
            holder = sv.fields.get(s.field)
            if holder is None:
                holder = sv.fields[s.field] = Ptr(Buffer(f"{s.param}.{s.field}"), 0, Scalar(s.dtype))
            holder.buf.data[s.subscript] = value
    for name, t in kernel.params:
        if name in structs:
            args[name] = struct_pointer(structs[name], t.target) if isinstance(t, Pointer) else structs[name]
        elif name not in args:
            args[name] = StructVal({})  # a struct parameter whose fields are never used
    return args
