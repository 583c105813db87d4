"""Node graphs read as plain tensors: autodiff-style ops over structs that point to structs.

    int op(node_t *p, int action) {
        node_t *q = p->child[0];
        int n = node_len(q);               /* a product of q->d[0..q->n_d) */
        if (action == FORWARD) for (i = 0; i < n; ++i) p->x[i] = f(q->x[i]);
        ...

Two rewrites of the kernel make this the kind of code the rest of tensorlift reads:
- a local that names a node reached through constant subscripts (`q = p->child[0]`, or
  `q[1] = p->child[1]` in a local array), set once, is replaced by that path wherever it is
  read, so `q->x` is the field `x` of `p->child[0]`, a tensor of its own (`p.child[0].x`);
- a call of a pure helper that computes an integer from one node's integer fields
  (`node_len(q)`) is a size: the helper is run on that node with one field left free, every
  other field it reads pinned to 1 (a rank of 1), and when it then returns the free field's
  value (`q->d[0]`), the call is replaced by that field and the others are pinned
  (`Kernel.pinned`): the examples and the proofs are for nodes of rank 1, whose length is
  that field (an element-wise op does the same for every shape of the same length).
"""
from __future__ import annotations

import copy
from typing import Optional

from ..errors import TensorliftError
from . import ast as A
from .ast import node_path
from .interp import Buffer, Interpreter, Ptr, StructVal, struct_pointer

PROBES = (2, 3, 5, 7)        # values the free field takes when a helper is tried


def node_struct(kernel: A.Kernel, struct: A.Struct, via: tuple) -> A.Struct:
    """The struct type of the node `via` leads to from a struct of type `struct`."""
    for f, _ in via:
        struct = A.element(kernel.field_type(struct, f))
    return struct


def normalised(kernel: A.Kernel) -> A.Kernel:
    """The kernel with node aliases and size helpers rewritten (a copy), or itself when it has
    neither."""
    if not any(isinstance(A.strip_ref(p.type), A.Pointer) and isinstance(A.element(p.type), A.Struct)
               for p in kernel.params):
        return kernel
    out = copy.deepcopy(kernel)
    f = out.function
    aliases = _aliases(f)
    changed = bool(aliases)
    if aliases:     # their settings go, then their reads become the paths
        f.body = A.transform(f.body, lambda n: _unset(n, aliases))
        f.body = A.transform(f.body, lambda n: copy.deepcopy(aliases[_key(n)])
                             if isinstance(n, (A.Name, A.Index)) and _key(n) in aliases else n)
    sizes = {}

    def size_call(n):
        nonlocal changed
        if isinstance(n, A.Call) and len(n.args) == 1 and n.func in out.functions and n.func != out.name:
            path = node_path(n.args[0])
            if path is not None and path[1] and isinstance(n.type, A.Scalar):
                found = sizes.get((n.func, path))
                if found is None:
                    found = sizes[(n.func, path)] = _size_field(out, n.func, n.args[0])
                if found is not None:
                    changed = True
                    field, pins = found
                    out.pinned.update({(*path, name, k): v for (name, k), v in pins.items()})
                    return A.Cast(n.line, copy.deepcopy(field), n.type, implicit=True)
        return n
    f.body = A.transform(f.body, size_call)
    return out if changed else kernel


# ---------------------------------------------------------------- aliases


def _aliases(f: A.Function) -> dict:
    """Locals (or constant elements of a local array) set once to a node path, by key
    (`q` or `q[1]`) -> the path expression."""
    sets: dict[str, list] = {}
    for n in A.walk(f.body):
        target, value = (n.name, n.init) if isinstance(n, A.Decl) and n.init is not None else \
            (n.target, n.value) if isinstance(n, A.Assign) else (None, None)
        key = _key(target) if not isinstance(target, str) else target
        if key is not None:
            sets.setdefault(key, []).append(value if isinstance(n, A.Decl) or n.op == "=" else None)
        if isinstance(n, A.Unary) and n.op in ("++", "--", "p++", "p--", "&"):
            k = _key(n.operand)
            if k is not None:
                sets.setdefault(k, []).append(None)
    out = {}
    for key, values in sets.items():
        if len(values) == 1 and values[0] is not None and (p := node_path(values[0])) is not None and p[1]:
            out[key] = values[0]
    # a local array whose elements are aliases is itself set by nothing else
    return {k: v for k, v in out.items() if "[" not in k or k.split("[")[0] not in sets}


def _key(e) -> Optional[str]:
    if isinstance(e, A.Name) and e.scope == "local":
        return e.name
    if isinstance(e, A.Index) and isinstance(e.base, A.Name) and e.base.scope == "local" and isinstance(e.index, A.Lit):
        return f"{e.base.name}[{e.index.value}]"
    return None


def _unset(n, aliases: dict):
    """The setting of an alias, gone."""
    if isinstance(n, A.Assign) and n.op == "=" and _key(n.target) in aliases:
        return A.Lit(n.line, 0, A.INT)
    if isinstance(n, A.Decl) and n.name in aliases:
        return A.Block(n.line, [], scoped=False)
    return n


# ---------------------------------------------------------------- size helpers


def _size_field(kernel: A.Kernel, helper: str, arg) -> Optional[tuple]:
    """(the field expression that the helper returns, the other fields pinned) for a pure
    helper of one node's integer fields, or None."""
    f = kernel.functions[helper]
    t = A.strip_ref(f.params[0].type)
    if not (isinstance(t, A.Pointer) and isinstance(t.target, A.Struct)) or not _pure(kernel, f):
        return None
    reads = _int_fields(kernel, t.target, f)
    if not reads:
        return None

    def run(values: dict) -> Optional[int]:
        fields = {}
        for (name, k), v in values.items():
            if k is None:
                fields[name] = v
            else:
                buf = fields.setdefault(name, Ptr(Buffer(name), 0, A.INT)).buf
                buf.data[k] = v
        try:
            r = Interpreter(kernel).invoke(helper, [struct_pointer(StructVal(fields), t.target)], None)
        except TensorliftError:
            return None
        return r if isinstance(r, int) else None

    for free in reads:
        if all(run({**{r: 1 for r in reads}, free: v}) == v for v in PROBES):
            name, k = free
            field = A.Member(arg.line, copy.deepcopy(arg), name, True, A.INT)
            expr = field if k is None else A.Index(arg.line, field, A.Lit(arg.line, k, A.INT), A.INT)
            pins = {r: 1 for r in reads if r != free}
            return expr, pins
    return None


def _pure(kernel: A.Kernel, f: A.Function) -> bool:
    """Stores only into its own locals and calls nothing."""
    for n in A.walk(f.body):
        if isinstance(n, A.Assign) and not (isinstance(n.target, A.Name) and n.target.scope == "local"):
            return False
        if isinstance(n, A.Unary) and n.op in ("++", "--", "p++", "p--") and \
                not (isinstance(n.operand, A.Name) and n.operand.scope == "local"):
            return False
        if isinstance(n, A.Call):
            return False
    return True


def _int_fields(kernel: A.Kernel, struct: A.Struct, f: A.Function) -> list[tuple]:
    """The integer fields of the node a helper reads: (name, None) for a scalar field,
    (name, k) for each element of a fixed-size integer array field."""
    out = []
    for n in A.walk(f.body):
        if isinstance(n, A.Member) and isinstance(n.base, A.Name) and n.base.name == f.params[0].name:
            ft = kernel.field_type(struct, n.field)
            if isinstance(ft, A.Scalar) and ft.dtype not in ("float", "double"):
                keys = [(n.field, None)]
            elif isinstance(ft, A.Array) and isinstance(ft.elem, A.Scalar) and isinstance(ft.size, A.Lit):
                keys = [(n.field, k) for k in range(ft.size.value)]
            else:
                return []
            out += [k for k in keys if k not in out]
    return out
