"""Which scalars size loops, which are row strides, and which enter the arithmetic.

A flow-insensitive dependence analysis over the kernel body: every local variable
depends on the slots its assignments read; a slot that reaches a loop condition sizes
a loop (a dimension), one that reaches only subscripts or pointer offsets is a stride,
and one that reaches a stored or returned value enters the arithmetic.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from pycparser import c_ast

from .frontend import Array, Kernel, Pointer, walk
from .slots import Slot


@dataclass
class Flows:
    control: set[str] = field(default_factory=set)     # reach a loop condition
    address: set[str] = field(default_factory=set)     # reach a subscript or pointer offset
    data: set[str] = field(default_factory=set)        # reach a stored or returned value
    divisors: set[str] = field(default_factory=set)    # reach the right side of `/` or `%`
    returned: set[str] = field(default_factory=set)    # reach the returned value


def analyse_flows(kernel: Kernel, slots: list[Slot]) -> Flows:
    scan = _Scan(kernel, slots)
    for fdef in kernel.functions.values():
        if fdef is kernel.node or scan.calls_reach(fdef.decl.name):
            scan.visit(fdef.body)
    close = scan.closure
    names = {s.name for s in slots}
    return Flows(close(scan.control) & names, close(scan.address) & names, close(scan.data) & names,
                 close(scan.divisors) & names, close(scan.deps.get("<return>", set())) & names)


class _Scan:
    def __init__(self, kernel: Kernel, slots: list[Slot]):
        self.k = kernel
        self.slot_names = {s.name for s in slots}
        self.params = {s.param for s in slots}
        self.arrays = {s.name for s in slots if s.kind == "array"}
        self.deps: dict[str, set[str]] = {}
        self.pointers: set[str] = {n for n, t in kernel.params if isinstance(t, Pointer)}
        self.control: set[str] = set()
        self.address: set[str] = set()
        self.data: set[str] = set()
        self.divisors: set[str] = set()

    def calls_reach(self, name: str) -> bool:
        """Helper functions called from the kernel are scanned too (arguments flow by name)."""
        seen, todo = set(), [self.k.name]
        while todo:
            f = todo.pop()
            if f in seen or f not in self.k.functions:
                continue
            seen.add(f)
            for n in walk(self.k.functions[f].body):
                if isinstance(n, c_ast.FuncCall) and isinstance(n.name, c_ast.ID):
                    todo.append(n.name.name)
        return name in seen

    def closure(self, names: set[str]) -> set[str]:
        out, todo = set(), list(names)
        while todo:
            n = todo.pop()
            if n in out:
                continue
            out.add(n)
            todo.extend(self.deps.get(n, ()))
        return out

    # values: the names an expression's value depends on (subscripts go to `address`)
    def value(self, e) -> set[str]:
        if e is None:
            return set()
        if isinstance(e, c_ast.ID):
            return {e.name}
        if isinstance(e, c_ast.Constant):
            return set()
        if isinstance(e, c_ast.ArrayRef):
            path = field_path(e)
            if path in self.slot_names:
                return {path}
            self.address |= self.value(e.subscript)
            return self.value(e.name)
        if isinstance(e, c_ast.StructRef):
            return {field_path(e)}
        if isinstance(e, c_ast.BinaryOp):
            left, right = self.value(e.left), self.value(e.right)
            if e.op in "/%":
                self.divisors |= right
            if e.op in "+-" and self._is_pointer(e.left) != self._is_pointer(e.right):
                # a moved pointer depends on the offset too: `end = v + n; while (p < end)` sizes a loop
                self.address |= right if self._is_pointer(e.left) else left
            return left | right
        if isinstance(e, c_ast.UnaryOp):
            if e.op == "sizeof":
                return set()
            return self.value(e.expr)
        if isinstance(e, c_ast.Cast):
            return self.value(e.expr)
        if isinstance(e, c_ast.TernaryOp):
            return self.value(e.cond) | self.value(e.iftrue) | self.value(e.iffalse)
        if isinstance(e, c_ast.FuncCall):
            args = e.args.exprs if e.args else []
            vals = [self.value(a) for a in args]
            fdef = self.k.functions.get(e.name.name) if isinstance(e.name, c_ast.ID) else None
            if fdef is not None:   # bind the callee's parameters to the argument values
                fparams = fdef.decl.type.args.params if fdef.decl.type.args else []
                for p, v in zip(fparams, vals):
                    if getattr(p, "name", None):
                        self.deps.setdefault(p.name, set()).update(v)
                        if isinstance(self.k.types.resolve(p.type), (Pointer, Array)):
                            self.pointers.add(p.name)
                return {f"{fdef.decl.name}()"}
            return set().union(*vals) if vals else set()
        if isinstance(e, c_ast.ExprList):
            return set().union(*(self.value(x) for x in e.exprs)) if e.exprs else set()
        if isinstance(e, c_ast.Assignment):
            self.assignment(e.lvalue, e.rvalue, e.op)
            return self.value(e.lvalue)
        return set()

    def _is_pointer(self, e) -> bool:
        """Whether an expression is a pointer (pointer arithmetic moves an address)."""
        if isinstance(e, c_ast.ID):
            return e.name in self.pointers or e.name in self.arrays
        if isinstance(e, c_ast.UnaryOp):
            return e.op == "&" or (e.op in ("++", "--", "p++", "p--") and self._is_pointer(e.expr))
        if isinstance(e, c_ast.BinaryOp) and e.op in "+-":
            return self._is_pointer(e.left) or self._is_pointer(e.right)
        if isinstance(e, c_ast.Cast):
            return isinstance(e.to_type.type, c_ast.PtrDecl)
        if isinstance(e, c_ast.StructRef):
            return field_path(e) in self.arrays
        return False

    def assignment(self, lv, rv, op):
        v = self.value(rv) if rv is not None else set()
        if op in ("/=", "%="):
            self.divisors |= v
        if isinstance(lv, c_ast.ID):
            self.deps.setdefault(lv.name, set()).update(v)
            if op != "=" and lv.name in self.pointers:   # `p += n` moves p by n elements
                self.address |= v
        else:
            target = self.value(lv)   # records the subscripts of the target as addresses
            self.data |= v
            for t in target:
                self.deps.setdefault(t, set()).update(v)

    def visit(self, node):
        if node is None:
            return
        if isinstance(node, c_ast.Decl):
            if node.name and node.init is not None and not isinstance(node.init, c_ast.InitList):
                self.deps.setdefault(node.name, set()).update(self.value(node.init))
            t = self.k.types.resolve(node.type) if node.name and not isinstance(node.type, c_ast.FuncDecl) else None
            if isinstance(t, (Pointer, Array)):
                self.pointers.add(node.name)
                if isinstance(t, Array):
                    dim = t
                    while isinstance(dim, Array):
                        self.control |= self.value(dim.size)
                        dim = dim.elem
            return
        if isinstance(node, (c_ast.For, c_ast.While, c_ast.DoWhile)):
            self.control |= self.value(node.cond)
            if isinstance(node, c_ast.For):
                self.visit(node.init)
                self.value(node.next)
            self.visit(node.stmt)
            return
        if isinstance(node, c_ast.If):
            self.value(node.cond)
            self.visit(node.iftrue)
            self.visit(node.iffalse)
            return
        if isinstance(node, c_ast.Return):
            self.data |= self.value(node.expr)
            self.deps.setdefault("<return>", set()).update(self.value(node.expr))
            return
        if isinstance(node, c_ast.Assignment):
            self.assignment(node.lvalue, node.rvalue, node.op)
            return
        if isinstance(node, c_ast.UnaryOp) and node.op in ("++", "--", "p++", "p--"):
            return
        if isinstance(node, (c_ast.Compound, c_ast.DeclList)):
            for _, child in node.children():
                self.visit(child)
            return
        if isinstance(node, c_ast.Node) and type(node).__name__ in ("FuncCall", "BinaryOp", "UnaryOp",
                                                                     "ExprList", "Cast", "TernaryOp"):
            self.value(node)
            return
        for _, child in node.children():
            self.visit(child)


def field_path(e) -> str:
    """The slot name of a struct-field expression (`a->dimensions[0]` -> `a.dimensions[0]`)."""
    if isinstance(e, c_ast.ArrayRef) and isinstance(e.subscript, c_ast.Constant) and isinstance(e.name, c_ast.StructRef):
        return f"{field_path(e.name)}[{int(e.subscript.value.rstrip('uUlL'), 0)}]"
    if isinstance(e, c_ast.StructRef):
        base = e.name
        while isinstance(base, (c_ast.UnaryOp, c_ast.Cast)):
            base = base.expr
        if isinstance(base, c_ast.ID):
            return f"{base.name}.{e.field.name}"
    return "<expr>"

