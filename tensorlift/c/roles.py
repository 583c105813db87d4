"""Which scalars size loops, which are row strides, which enter the arithmetic, and which
only choose between pieces of code.

A flow-insensitive dependence analysis over the kernel's functions: every local variable
depends on the slots its assignments read; a slot that reaches a loop condition sizes a
loop (a dimension), one that reaches only subscripts or pointer offsets is a stride, one
that reaches a stored or returned value enters the arithmetic, and one that reaches only
the conditions of `if` and `?:` is a flag.
"""
from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Optional

from .. import carith
from . import ast as A
from .ast import field_path
from .sizecases import compared_names, integer_names
from .slots import Slot, flatten, path_of, size_slots, vector_paths


@dataclass
class Flows:
    control: set[str] = field(default_factory=set)     # reach a loop condition
    address: set[str] = field(default_factory=set)     # reach a subscript or pointer offset
    data: set[str] = field(default_factory=set)        # reach a stored or returned value
    divisors: set[str] = field(default_factory=set)    # reach the right side of `/` or `%`
    returned: set[str] = field(default_factory=set)    # reach the returned value
    branch: set[str] = field(default_factory=set)      # reach the condition of an if or ?:
    compared: list[set[str]] = field(default_factory=list)   # the parameters of each size check


def analyse_flows(kernel: A.Kernel, slots: list[Slot]) -> Flows:
    scan = _Scan(kernel, slots)
    for f in kernel.functions.values():
        for p in f.params:
            if isinstance(A.strip_ref(p.type), (A.Pointer, A.Array, A.Vector)):
                scan.pointers.add(p.name)
            t = A.strip_ref(p.type)      # `double A[n][m]`: m is the pitch of A's rows
            t = t.elem if isinstance(t, A.Array) else t.target if isinstance(t, A.Pointer) else None
            while isinstance(t, A.Array):
                scan.address |= scan.value(t.size)
                t = t.elem
    for f in kernel.functions.values():
        scan.returns_to = "<return>" if f.name == kernel.name else f"{f.name}()"
        scan.function = f.name
        scan.visit(f.body)
    close = scan.closure
    names = {s.name for s in slots}
    # what the returned value is chosen by counts too (`if (x[i] > x[best]) best = i`)
    returned = close(scan.deps.get("<return>", set()) | scan.chosen.get("<return>", set()))
    while True:
        more = close(returned | {g for n in returned for g in scan.chosen.get(n, ())})
        if more == returned:
            break
        returned = more
    return Flows(close(scan.control) & names, close(scan.address) & names, close(scan.data) & names,
                 close(scan.divisors) & names, returned & names, close(scan.branch) & names,
                 compared_names(kernel, integer_names(kernel, slots)))


class _Scan:
    def __init__(self, kernel: A.Kernel, slots: list[Slot]):
        self.k = kernel
        self.slot_names = {s.name for s in slots}
        self.vector_sizes = {(s.param, s.size_of.count("[0]")): s.name for s in slots if s.size_of}
        self.paths = vector_paths(kernel)
        self.function = kernel.name
        self.arrays = {s.name for s in slots if s.kind == "array"}
        self.deps: dict[str, set[str]] = {}
        self.pointers: set[str] = set()
        self.control: set[str] = set()
        self.address: set[str] = set()
        self.data: set[str] = set()
        self.divisors: set[str] = set()
        self.branch: set[str] = set()
        self.returns_to = "<return>"
        self.guards: list[set[str]] = []              # conditions around the statement visited
        self.chosen: dict[str, set[str]] = {}         # local -> conditions it is set under
        self.sized: dict[str, set[str]] = {}          # local vector -> what its size was made from

    def local(self, name: str, function: Optional[str] = None) -> str:
        """A variable of a function by a name of its own: a helper's `x` is not the kernel's
        loop variable `x` (the kernel's own variables keep their names: the slots')."""
        function = function or self.function
        return name if function == self.k.name else f"{function}::{name}"

    def _name(self, e: A.Name) -> str:
        return self.local(e.name) if e.scope in ("local", "param") else e.name

    def closure(self, names: set[str]) -> set[str]:
        out, todo = set(), list(names)
        while todo:
            n = todo.pop()
            if n in out:
                continue
            out.add(n)
            todo.extend(self.deps.get(n, ()))
        return out

    def value(self, e) -> set[str]:
        """The names an expression's value depends on (subscripts go to `address`)."""
        if e is None:
            return set()
        if isinstance(e, A.Lit):
            return {e.macro} if e.macro else set()
        if isinstance(e, A.Name):
            return {self._name(e)}
        if isinstance(e, A.Index):
            path = field_path(e)
            if path in self.slot_names:
                return {path}
            self.address |= self.value(e.index)
            return self.value(e.base)
        if isinstance(e, A.Member):
            return {field_path(e)}
        if isinstance(e, A.Binary):
            left, right = self.value(e.left), self.value(e.right)
            if e.op in ("/", "%"):
                self.divisors |= right
            if e.op in "+-" and self._is_pointer(e.left) != self._is_pointer(e.right):
                # a moved pointer depends on the offset too: `end = v + n; while (p < end)` sizes a loop
                self.address |= right if self._is_pointer(e.left) else left
            return left | right
        if isinstance(e, A.Unary):
            return self.value(e.operand)
        if isinstance(e, A.Cast):
            return self.value(e.expr)
        if isinstance(e, A.Cond):
            c = self.value(e.cond)
            self.branch |= c
            return c | self.value(e.then) | self.value(e.other)
        if isinstance(e, A.Call):
            vals = [self.value(a) for a in e.args]
            f = self.k.functions.get(e.func)
            if f is not None:   # bind the callee's parameters to the argument values
                for p, v in zip(f.params, vals):
                    self.deps.setdefault(self.local(p.name, f.name), set()).update(v)
                return {f"{f.name}()"}
            if e.func in ("malloc", "calloc", "aligned_alloc"):
                self.control |= set().union(*vals) if vals else set()
            return set().union(*vals) if vals else set()
        if isinstance(e, A.Method) and e.method in ("size", "empty"):
            size = self.vector_size(e.obj)   # a size never depends on the elements
            if size is None and isinstance(e.obj, A.Name):
                return set(self.sized.get(self._name(e.obj), ()))     # a local vector's: what it was made with
            return {size} if size is not None else set()
        if isinstance(e, (A.Method, A.Construct)):
            parts = [self.value(x) for x in A.children(e)]
            return set().union(*parts) if parts else set()
        if isinstance(e, (A.Comma, A.InitList)):
            parts = [self.value(x) for x in A.children(e)]
            return set().union(*parts) if parts else set()
        if isinstance(e, A.Assign):
            self.assignment(e.target, e.value, e.op)
            return self.value(e.target)
        return set()

    def vector_size(self, obj) -> Optional[str]:
        """The size slot of a parameter vector (`base.size()`, `row.size()` of one of its
        rows, in any function), if any."""
        path = path_of(self.paths, self.function, obj)
        return self.vector_sizes.get(path) if path else None

    def _is_pointer(self, e) -> bool:
        """Whether an expression is a pointer (pointer arithmetic moves an address)."""
        return isinstance(A.strip_ref(getattr(e, "type", None)), (A.Pointer, A.Array))

    def assignment(self, lv, rv, op):
        v = self.value(rv) if rv is not None else set()
        if op in ("/=", "%="):
            self.divisors |= v
        if isinstance(lv, A.Name):
            self.deps.setdefault(self._name(lv), set()).update(v)
            if self.guards:
                self.chosen.setdefault(self._name(lv), set()).update(*self.guards)
            if op != "=" and self._is_pointer(lv):   # `p += n` moves p by n elements
                self.address |= v
        else:
            self.value(lv)            # records the subscripts of the target as addresses
            self.data |= v
            for t in self.stored_into(lv):
                self.deps.setdefault(t, set()).update(v)

    def stored_into(self, lv) -> set[str]:
        """The arrays a store target names: `*(y + i)` stores into y, not into i."""
        if isinstance(lv, A.Unary) and lv.op == "*":
            return self.stored_into(lv.operand)
        if isinstance(lv, A.Cast):
            return self.stored_into(lv.expr)
        if isinstance(lv, A.Index):
            path = field_path(lv)
            return {path} if path in self.slot_names else self.stored_into(lv.base)
        if isinstance(lv, A.Binary) and lv.op in "+-" and self._is_pointer(lv.left) != self._is_pointer(lv.right):
            return self.stored_into(lv.left if self._is_pointer(lv.left) else lv.right)
        return self.value(lv)

    def visit(self, node):
        if node is None:
            return
        if isinstance(node, A.Decl):
            if node.init is not None and not isinstance(node.init, A.InitList):
                self.deps.setdefault(self.local(node.name), set()).update(self.value(node.init))
            if isinstance(node.init, A.Construct) and node.init.args and isinstance(A.strip_ref(node.type), A.Vector):
                self.sized[self.local(node.name)] = self.value(node.init.args[0])    # `vector<float> r(a.size())`
            t = node.type
            while isinstance(t, A.Array):
                self.control |= self.value(t.size)
                t = t.elem
            return
        if isinstance(node, A.Loop):
            if node.over is None:
                self.visit(node.init)
            if node.over is not None:
                size = self.vector_size(node.over)
                self.control |= {size} if size else set()
                self.deps.setdefault(self.local(node.init.name), set()).update(self.value(node.over))
            self.control |= self.value(node.cond)
            self.value(node.step)
            self.visit(node.body)
            return
        if isinstance(node, A.If):
            cond = self.value(node.cond)
            self.branch |= cond
            self.guards.append(cond)
            self.visit(node.then)
            self.visit(node.other)
            self.guards.pop()
            return
        if isinstance(node, A.Return):
            self.data |= self.value(node.value)
            self.deps.setdefault(self.returns_to, set()).update(self.value(node.value))
            if node.value is not None and self.guards:    # `if (x < 0) return 1;`: chosen by x
                self.chosen.setdefault(self.returns_to, set()).update(*self.guards)
            return
        if isinstance(node, A.ExprStmt):
            e = node.expr
            if isinstance(e, A.Unary) and e.op in ("++", "--", "p++", "p--"):
                return
            self.value(e)
            return
        for child in A.children(node):
            self.visit(child)


def scalar_roles(slots: list[Slot], flows: Flows) -> dict[str, str]:
    """dimension, stride, value or flag, for every scalar slot. A parameter a size check
    compares with a dimension (`if (na != nb) return -1;`) is a dimension too."""
    dims = set(flows.control)
    grown = True
    while grown:
        grown = False
        for group in flows.compared:
            if group & dims and not group <= dims:
                dims |= group
                grown = True
    roles = {}
    for s in slots:
        if s.kind != "scalar" or s.pinned is not None:
            continue
        if s.name in dims:
            roles[s.name] = "dimension"
        elif s.name in flows.address:
            roles[s.name] = "stride"
        elif s.name in flows.branch and s.name not in flows.data and carith.is_int(s.dtype):
            roles[s.name] = "flag"
        else:
            roles[s.name] = "value"
    return roles


_COMPARE = {"<", ">", "<=", ">=", "==", "!="}


@dataclass
class FrontEnd:
    """What the front end makes of a kernel, once per lift: its slots (without the macros and
    vector sizes that size nothing), the data flow of its scalars and each scalar's role. The
    flags, the size checks, the harness build and the analysis all read it."""
    kernel: A.Kernel
    slots: list[Slot]
    flows: Flows
    roles: dict[str, str]

    @staticmethod
    def of(kernel: A.Kernel) -> "FrontEnd":
        flat = flatten(kernel)
        flows = analyse_flows(kernel, flat)
        roles = scalar_roles(flat, flows)
        return FrontEnd(kernel, size_slots(flat, roles), flows, roles)

    @property
    def dims(self) -> set[str]:
        """The kernel's size parameters."""
        return {n for n, r in self.roles.items() if r == "dimension"}


def flag_intervals(kernel: A.Kernel, flag: str, dtype: str) -> Optional[list[tuple]]:
    """The intervals of a flag's values inside which every condition on it comes out the
    same, so that one value stands for each (None when the flag is used otherwise than in
    tests against constants: then it is no flag). `if (TA)` gives TA < 0, TA == 0, TA > 0."""
    names, constants = {flag}, set()
    todo, seen = [kernel.name], set()
    while todo:
        fname = todo.pop()
        if fname in seen or fname not in kernel.functions:
            continue
        seen.add(fname)
        parents: dict[int, object] = {}
        for node in A.walk(kernel.functions[fname].body):
            for child in A.children(node):
                parents[id(child)] = node
            if not (isinstance(node, A.Name) and node.name in names):
                continue
            child, ctx = node, parents.get(id(node))
            while isinstance(ctx, A.Cast):
                child, ctx = ctx, parents.get(id(ctx))
            if isinstance(ctx, A.Binary) and ctx.op in _COMPARE:
                other = ctx.right if child is ctx.left else ctx.left
                while isinstance(other, A.Cast):
                    other = other.expr
                if not isinstance(other, A.Lit) or not isinstance(other.value, int):
                    return None
                constants.add(other.value)
            elif (isinstance(ctx, A.Unary) and ctx.op == "!") or (isinstance(ctx, A.Binary) and ctx.op in ("&&", "||")) \
                    or (isinstance(ctx, (A.If, A.Cond, A.Loop)) and ctx.cond is child):
                constants.add(0)
            elif isinstance(ctx, A.Call) and ctx.func in kernel.functions:
                names.add(kernel.functions[ctx.func].params[ctx.args.index(child)].name)
                todo.append(ctx.func)
            else:
                return None
    lo_t, hi_t = carith.bounds(dtype)
    points = sorted(c for c in constants if lo_t <= c <= hi_t)
    if not points:
        return None
    out, prev = [], None
    for c in points:
        start = lo_t if prev is None else prev + 1
        if start <= c - 1:
            out.append((start, c - 1))
        out.append((c, c))
        prev = c
    if prev + 1 <= hi_t:
        out.append((prev + 1, hi_t))
    return [(None if lo == lo_t and lo_t < 0 else lo, None if hi == hi_t else hi) for lo, hi in out]


def representative(iv: tuple) -> int:
    """A value in an interval, small in magnitude."""
    lo, hi = iv
    return hi if lo is None else lo


def specialised(kernel: A.Kernel, values: dict[str, int]) -> A.Kernel:
    """The kernel for one case of its flags (a copy): every `if` of its own body whose
    condition those values decide is the branch taken, so that the case's analysis sees only
    the code it runs (another case's shape bookkeeping is none of its business)."""
    if not values:
        return kernel
    out = copy.deepcopy(kernel)

    def taken(n):
        if isinstance(n, A.If):
            v = _constant(n.cond, values)
            if v is not None:
                chosen = n.then if v else n.other
                return chosen if chosen is not None else A.Block(n.line, [])
        return n
    out.function.body = A.transform(out.function.body, taken)
    return out


def _constant(e, values: dict[str, int]) -> Optional[int]:
    """The value of a condition on flags and constants, or None when it depends on more."""
    if isinstance(e, A.Cast):
        return _constant(e.expr, values)
    if isinstance(e, A.Lit):
        return e.value if isinstance(e.value, int) else None
    if isinstance(e, A.Name):
        return values.get(e.name) if e.scope == "param" else None
    if isinstance(e, A.Unary) and e.op in ("!", "-"):
        v = _constant(e.operand, values)
        return None if v is None else int(not v) if e.op == "!" else -v
    if isinstance(e, A.Binary) and e.op in ("&&", "||"):
        a, b = _constant(e.left, values), _constant(e.right, values)
        if e.op == "&&":
            return 0 if a == 0 or b == 0 else 1 if a is not None and b is not None else None
        return 1 if (a is not None and a != 0) or (b is not None and b != 0) else 0 if a == 0 and b == 0 else None
    if isinstance(e, A.Binary) and e.op in _COMPARE:
        a, b = _constant(e.left, values), _constant(e.right, values)
        if a is None or b is None:
            return None
        return int({"<": a < b, ">": a > b, "<=": a <= b, ">=": a >= b, "==": a == b, "!=": a != b}[e.op])
    return None
