"""An interpreter for the C subset kernels are written in.

One interpreter serves two stages: analysis runs it on concrete numbers and reads the
trace of every memory access (which buffer, which offset, at which loop iteration), and
verification runs it on solver terms. The arithmetic lives in an `Ops` object so the
value domain can change without touching the walk over the AST.

Memory is a set of buffers that grow on demand: a kernel may touch any offset, and the
trace then tells which region it touched. Offsets count scalar elements, so pointer
arithmetic over `int A[N][M]`, `int **A` or pointer walking all reduce to one integer.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Callable, Optional

from pycparser import c_ast

from ..errors import KernelRunError, UnsupportedConstruct
from .frontend import (DOUBLE, FLOAT, INT, VOID, Array, CType, Kernel, Pointer, Scalar,
                       Struct)

# ---------------------------------------------------------------- memory


@dataclass(eq=False)
class Buffer:
    """Flat storage of scalars (or of pointers, for `int **`). `init` supplies the value of
    an element never written (the kernel's input); `trace` records every access."""
    name: str
    init: Optional[Callable[[int], Any]] = None
    data: dict = field(default_factory=dict)
    trace: Optional[list] = None
    first_read: dict = field(default_factory=dict)   # offset -> read before any write?
    seen_type: Optional[str] = None                  # scalar type of the last typed access
    writes: Optional[list] = None                    # shared log of buffer names, in write order

    def load(self, off: int, site, counters, loops=()):
        if self.trace is not None:
            self.trace.append((site, off, counters, False, loops))
        if off not in self.first_read:
            self.first_read[off] = True
        if off in self.data:
            return self.data[off]
        if self.init is None:
            raise KernelRunError(f"read of uninitialised memory in {self.name}[{off}]")
        v = self.data[off] = self.init(off)
        return v

    def store(self, off: int, value, site, counters, loops=()):
        if self.trace is not None:
            self.trace.append((site, off, counters, True, loops))
        if off not in self.first_read:
            self.first_read[off] = False
        if self.writes is not None:
            self.writes.append(self.name)
        self.data[off] = value


@dataclass(frozen=True)
class Ptr:
    """A pointer: a buffer, an offset in scalars, the pointee type and the evaluated
    sizes of the pointee's array levels (so `p + 1` on `int (*)[M]` advances by M)."""
    buf: Optional[Buffer]
    off: int
    target: CType
    dims: tuple[int, ...] = ()

    @property
    def step(self) -> int:
        return math.prod(self.dims)

    def moved(self, k: int) -> "Ptr":
        return Ptr(self.buf, self.off + k * self.step, self.target, self.dims)


@dataclass
class StructVal:
    fields: dict[str, Any]


@dataclass
class Var:
    value: Any
    type: CType
    is_array: bool = False     # a local array: its value is a pointer to element 0


class _Signal(Exception):
    pass


class _Break(_Signal):
    pass


class _Continue(_Signal):
    pass


class _Return(_Signal):
    def __init__(self, value):
        self.value = value


# ---------------------------------------------------------------- arithmetic


def c_div(a: int, b: int) -> int:
    q = abs(a) // abs(b)
    return q if (a >= 0) == (b >= 0) else -q


def c_mod(a: int, b: int) -> int:
    return a - b * c_div(a, b)


class Ops:
    """Concrete C arithmetic on Python ints and floats (float computed as double)."""

    MATH = {
        "sqrt": math.sqrt, "exp": math.exp, "log": math.log, "fabs": abs, "abs": abs,
        "fmax": max, "fmin": min, "pow": math.pow, "tanh": math.tanh, "sin": math.sin,
        "cos": math.cos, "floor": math.floor, "ceil": math.ceil, "labs": abs,
    }

    def is_float(self, v) -> bool:
        return isinstance(v, float)

    def arith(self, op: str, a, b):
        if isinstance(a, float) or isinstance(b, float):
            a, b = float(a), float(b)
            if op == "/":
                if b == 0.0:
                    return math.copysign(math.inf, a) if a else math.nan
                return a / b
            return {"+": a + b, "-": a - b, "*": a * b}[op] if op in "+-*" else self._cmp_or_bad(op, a, b)
        if op == "+":
            return a + b
        if op == "-":
            return a - b
        if op == "*":
            return a * b
        if op in "/%":
            if b == 0:
                raise KernelRunError("integer division by zero")
            return c_div(a, b) if op == "/" else c_mod(a, b)
        if op == "<<":
            return a << b
        if op == ">>":
            return a >> b
        if op == "&":
            return a & b
        if op == "|":
            return a | b
        if op == "^":
            return a ^ b
        return self._cmp_or_bad(op, a, b)

    def _cmp_or_bad(self, op, a, b):
        if op == "<":
            return int(a < b)
        if op == ">":
            return int(a > b)
        if op == "<=":
            return int(a <= b)
        if op == ">=":
            return int(a >= b)
        if op == "==":
            return int(a == b)
        if op == "!=":
            return int(a != b)
        raise UnsupportedConstruct(f"operator '{op}' on floating-point values")

    def neg(self, a):
        return -a

    def not_(self, a):
        return int(not self.truth(a))

    def truth(self, v) -> bool:
        return v != 0

    def decided(self, v) -> bool:
        """Whether a condition has a known truth value (always, for concrete numbers)."""
        return True

    def select(self, cond, a, b):
        return a if self.truth(cond) else b

    def convert(self, v, t: Scalar):
        if t.name == "int":
            return int(v) if isinstance(v, float) and math.isfinite(v) else v
        if t.name in ("float", "double") and isinstance(v, int):
            return float(v)
        return v

    def call(self, name: str, args: list):
        base = name[:-1] if name.endswith(("f", "l")) and name[:-1] in self.MATH else name
        fn = self.MATH.get(base)
        if fn is None:
            raise UnsupportedConstruct(f"call to unknown function '{name}'")
        try:
            r = fn(*args)
        except (ValueError, OverflowError):
            return math.nan
        return float(r) if base not in ("abs", "labs") else r


# ---------------------------------------------------------------- interpreter

_ASSIGN_OPS = {"+=": "+", "-=": "-", "*=": "*", "/=": "/", "%=": "%", "<<=": "<<",
               ">>=": ">>", "&=": "&", "|=": "|", "^=": "^"}


class Interpreter:
    """Runs one kernel call. `max_steps` bounds the work so a kernel that never ends is
    reported instead of hanging the analysis."""

    def __init__(self, kernel: Kernel, ops: Optional[Ops] = None, max_steps: int = 2_000_000):
        self.k = kernel
        self.ops = ops or Ops()
        self.max_steps = max_steps
        self.steps = 0
        self.counters: list[int] = []     # iteration numbers of the active loops
        self.loops: list[int] = []        # ids of those loops' nodes
        self.call_stack: list[str] = []
        self.journal: Optional[list] = None   # undo log while a branch runs on a symbolic condition

    # -- entry ---------------------------------------------------------
    def call(self, args: dict[str, Any]):
        """Run the kernel with parameter values by name; returns its return value."""
        return self._invoke(self.k.name, [args[n] for n, _ in self.k.params])

    def _invoke(self, name: str, argv: list):
        fdef = self.k.functions.get(name)
        if fdef is None:
            return self.ops.call(name, argv)
        if name in self.call_stack:
            raise UnsupportedConstruct(f"recursive call to '{name}'", fdef.coord.line)
        fdecl = fdef.decl.type
        params = [p for p in (fdecl.args.params if fdecl.args else []) if getattr(p, "name", None)]
        if len(params) != len(argv):
            raise UnsupportedConstruct(f"call to '{name}' with {len(argv)} arguments")
        scope: dict[str, Var] = {}
        self.call_stack.append(name)
        saved, self.scopes = getattr(self, "scopes", None), [scope]
        try:
            for p, v in zip(params, argv):
                t = self.k.types.resolve(p.type)
                if isinstance(t, Array):
                    t = Pointer(t.elem)
                    v = self._retype(v, t)
                scope[p.name] = Var(self._convert(v, t), t)
            try:
                self.exec(fdef.body)
            except _Return as r:
                rt = self.k.types.resolve(fdecl.type)
                return None if rt == VOID or r.value is None else self._convert(r.value, rt)
            return None
        finally:
            self.call_stack.pop()
            self.scopes = saved

    # -- variables -----------------------------------------------------
    def lookup(self, name: str, node) -> Var:
        for s in reversed(self.scopes):
            if name in s:
                return s[name]
        raise UnsupportedConstruct(f"use of global or undeclared name '{name}'", _line(node))

    def _convert(self, v, t: CType):
        if isinstance(t, Scalar) and t != VOID and not isinstance(v, (Ptr, StructVal)):
            return self.ops.convert(v, t)
        if isinstance(t, Pointer) and isinstance(v, Ptr):
            return self._retype(v, t)
        return v

    def _retype(self, p, t: Pointer):
        if not isinstance(p, Ptr):
            if p == 0:
                return Ptr(None, 0, t.target, self._dims(t.target))
            raise UnsupportedConstruct("integer converted to pointer")
        return Ptr(p.buf, p.off, t.target, self._dims(t.target))

    def _dims(self, t: CType) -> tuple[int, ...]:
        dims = []
        while isinstance(t, Array):
            if t.size is None:
                raise UnsupportedConstruct("array of unknown size", _line(t.size))
            dims.append(self.eval(t.size))
            t = t.elem
        return tuple(dims)

    # -- statements ----------------------------------------------------
    def exec(self, node):
        self._tick()
        m = getattr(self, "s_" + type(node).__name__, None)
        if m is None:
            if isinstance(node, c_ast.Node) and type(node).__name__ in _EXPR_NODES:
                self.eval(node)
                return
            raise UnsupportedConstruct(_describe(node), _line(node))
        m(node)

    def s_Compound(self, node):
        self.scopes.append({})
        try:
            for item in node.block_items or ():
                self.exec(item)
        finally:
            self.scopes.pop()

    def s_DeclList(self, node):
        for d in node.decls:
            self.exec(d)

    def s_Decl(self, node):
        if node.name is None:
            return  # a struct or enum declaration without a variable
        if "static" in (node.storage or []) or "extern" in (node.storage or []):
            raise UnsupportedConstruct(f"static or extern local '{node.name}'", _line(node))
        t = self.k.types.resolve(node.type)
        if isinstance(t, Array):
            dims = self._dims(t)
            buf = Buffer(f"{node.name}", init=None)
            elem = t.elem
            while isinstance(elem, Array):
                elem = elem.elem
            var = Var(Ptr(buf, 0, t.elem, dims[1:]), t, is_array=True)
            if node.init is not None:
                flat = _flatten_init(node.init)
                for i, e in enumerate(flat):
                    buf.data[i] = self._convert(self.eval(e), elem)
                if len(flat) < math.prod(dims):
                    for i in range(len(flat), math.prod(dims)):
                        buf.data[i] = self._convert(0, elem)
            self.scopes[-1][node.name] = var
            return
        if isinstance(t, Struct):
            raise UnsupportedConstruct(f"local struct variable '{node.name}'", _line(node))
        value = None
        if node.init is not None:
            if isinstance(node.init, c_ast.InitList):
                raise UnsupportedConstruct("initializer list for a scalar", _line(node))
            value = self._convert(self.eval(node.init), t)
        self.scopes[-1][node.name] = Var(value, t)

    def s_For(self, node):
        self.scopes.append({})
        try:
            if node.init is not None:
                self.exec(node.init)
            self._loop(node, node.cond, node.stmt, node.next, test_first=True)
        finally:
            self.scopes.pop()

    def s_While(self, node):
        self._loop(node, node.cond, node.stmt, None, test_first=True)

    def s_DoWhile(self, node):
        self._loop(node, node.cond, node.stmt, None, test_first=False)

    def _loop(self, node, cond, body, step, test_first: bool):
        """Every loop form, counting its iterations for the trace (`counters`, `loops`)."""
        self.counters.append(0)
        self.loops.append(id(node))
        try:
            while not test_first or cond is None or self.ops.truth(self.eval(cond)):
                try:
                    if body is not None:
                        self.exec(body)
                except _Break:
                    break
                except _Continue:
                    pass
                if step is not None:
                    self.eval(step)
                self.counters[-1] += 1
                self._tick()
                if not test_first and not self.ops.truth(self.eval(cond)):
                    break
        finally:
            self.counters.pop()
            self.loops.pop()

    def _tick(self):
        self.steps += 1
        if self.steps > self.max_steps:
            raise KernelRunError(f"kernel did not finish within {self.max_steps} interpreted steps")

    def s_If(self, node):
        cond = self.eval(node.cond)
        if not self.ops.decided(cond):
            return self._merge_branches(node, cond)
        if self.ops.truth(cond):
            if node.iftrue is not None:
                self.exec(node.iftrue)
        elif node.iffalse is not None:
            self.exec(node.iffalse)

    def _merge_branches(self, node, cond):
        """A condition on solver terms: run both branches from the same state and merge every
        variable and memory cell they touched into `select(cond, then, else)`."""
        outer = self.journal
        old: dict = {}          # location -> (undo entry) at first touch
        finals = []
        for branch in (node.iftrue, node.iffalse):
            self.journal = []
            try:
                if branch is not None:
                    self.exec(branch)
            except _Signal:
                raise UnsupportedConstruct("break, continue or return under a condition on array values",
                                           _line(node)) from None
            finals.append({_loc(e): _current(e) for e in self.journal})
            for e in reversed(self.journal):
                old.setdefault(_loc(e), e)
                _undo(e)
        self.journal = outer
        then_vals, else_vals = finals
        for loc, entry in old.items():
            before = _previous(entry)
            t, f = then_vals.get(loc, before), else_vals.get(loc, before)
            if t is None or f is None:
                raise UnsupportedConstruct("a variable set on one branch only of a condition on array values",
                                           _line(node))
            merged = self.ops.select(cond, t, f)
            if entry[0] == "var":
                self._log(entry)
                entry[1].value = merged
            else:
                self._log(entry)
                entry[1].data[entry[2]] = merged

    def _log(self, entry):
        if self.journal is not None:
            if entry[0] == "var":
                self.journal.append(("var", entry[1], entry[1].value))
            else:
                buf, off = entry[1], entry[2]
                self.journal.append(("mem", buf, off, buf.data.get(off, _ABSENT)))

    def s_Break(self, node):
        raise _Break()

    def s_Continue(self, node):
        raise _Continue()

    def s_Return(self, node):
        raise _Return(None if node.expr is None else self.eval(node.expr))

    def s_EmptyStatement(self, node):
        pass

    def s_Pragma(self, node):
        pass

    def s_Typedef(self, node):
        pass

    # -- expressions -----------------------------------------------------
    def eval(self, node):
        m = getattr(self, "e_" + type(node).__name__, None)
        if m is None:
            raise UnsupportedConstruct(_describe(node), _line(node))
        return m(node)

    def e_Constant(self, node):
        v = node.value
        if node.type in ("int", "long", "unsigned int", "long int", "unsigned long", "long long"):
            s = v.rstrip("uUlL")
            return int(s, 0) if not (len(s) > 1 and s[0] == "0" and s[1] not in "xXbB") else int(s, 8)
        if node.type in ("float", "double", "long double"):
            return float(v.rstrip("fFlL"))
        if node.type == "char":
            body = v[1:-1]
            return ord(body.encode().decode("unicode_escape")) if body else 0
        raise UnsupportedConstruct(f"constant {v}", _line(node))

    def e_ID(self, node):
        var = self.lookup(node.name, node)
        if var.value is None:
            raise KernelRunError(f"use of uninitialised variable '{node.name}' at line {_line(node)}")
        return var.value

    def e_Cast(self, node):
        t = self.k.types.resolve(node.to_type)
        v = self.eval(node.expr)
        if isinstance(t, Pointer):
            return self._retype(v, t)
        if t == VOID:
            return None
        return self._convert(v, t)

    def e_ExprList(self, node):
        v = None
        for e in node.exprs:
            v = self.eval(e)
        return v

    def e_TernaryOp(self, node):
        c = self.eval(node.cond)
        if self.ops.decided(c):
            return self.eval(node.iftrue) if self.ops.truth(c) else self.eval(node.iffalse)
        return self.ops.select(c, self.eval(node.iftrue), self.eval(node.iffalse))

    def e_BinaryOp(self, node):
        op = node.op
        if op == "&&":
            return int(self.ops.truth(self.eval(node.left)) and self.ops.truth(self.eval(node.right)))
        if op == "||":
            return int(self.ops.truth(self.eval(node.left)) or self.ops.truth(self.eval(node.right)))
        return self.binop(op, self.eval(node.left), self.eval(node.right), node)

    def binop(self, op, a, b, node):
        if isinstance(a, Ptr) or isinstance(b, Ptr):
            return self._ptr_arith(op, a, b, node)
        return self.ops.arith(op, a, b)

    def _ptr_arith(self, op, a, b, node):
        if isinstance(a, Ptr) and isinstance(b, Ptr):
            if a.buf is not b.buf and op not in ("==", "!="):
                raise UnsupportedConstruct("arithmetic between unrelated pointers", _line(node))
            if op == "-":
                return (a.off - b.off) // (a.step or 1)
            same = a.buf is b.buf and a.off == b.off
            if op == "==":
                return int(same)
            if op == "!=":
                return int(not same)
            return self.ops.arith(op, a.off, b.off)
        if op == "+":
            p, k = (a, b) if isinstance(a, Ptr) else (b, a)
            return p.moved(self._int(k, node))
        if op == "-" and isinstance(a, Ptr):
            return a.moved(-self._int(b, node))
        if op in ("==", "!=") and (a == 0 or b == 0):
            isnull = (a if isinstance(a, Ptr) else b).buf is None
            return int(isnull) if op == "==" else int(not isnull)
        raise UnsupportedConstruct(f"pointer operation '{op}'", _line(node))

    def _int(self, v, node) -> int:
        if isinstance(v, int):
            return v
        raise UnsupportedConstruct("non-integer or data-dependent pointer offset", _line(node))

    def e_UnaryOp(self, node):
        op = node.op
        if op in ("p++", "p--", "++", "--"):
            old = self.eval(node.expr)
            delta = 1 if "+" in op else -1
            new = old.moved(delta) if isinstance(old, Ptr) else self.ops.arith("+", old, delta)
            self.assign(node.expr, new)
            return old if op.startswith("p") else new
        if op == "*":
            return self.deref(self.eval(node.expr), node)
        if op == "&":
            return self.address(node.expr)
        if op == "sizeof":
            return self._sizeof(node.expr)
        v = self.eval(node.expr)
        if op == "-":
            return self.ops.neg(v)
        if op == "+":
            return v
        if op == "!":
            return self.ops.not_(v)
        if op == "~":
            return ~self._int(v, node)
        raise UnsupportedConstruct(f"unary operator '{op}'", _line(node))

    def _sizeof(self, expr):
        if isinstance(expr, c_ast.Typename):
            return _size_of(self.k.types.resolve(expr))
        t = self._static_type(expr)
        return _size_of(t) if t is not None else 4

    def _static_type(self, e) -> Optional[CType]:
        """The type of a simple expression (a variable, an element of one), for sizeof."""
        if isinstance(e, c_ast.ID):
            var = self.lookup(e.name, e)
            return var.type
        if isinstance(e, (c_ast.ArrayRef, c_ast.UnaryOp)):
            inner = self._static_type(e.name if isinstance(e, c_ast.ArrayRef) else e.expr)
            if isinstance(inner, Pointer):
                return inner.target
            if isinstance(inner, Array):
                return inner.elem
        return None

    def e_ArrayRef(self, node):
        return self.deref(self._element_ptr(node), node)

    def _element_ptr(self, node) -> Ptr:
        base = self.eval(node.name)
        idx = self.eval(node.subscript)
        if isinstance(idx, Ptr):
            base, idx = idx, base
        if not isinstance(base, Ptr):
            raise UnsupportedConstruct("subscript of a non-pointer", _line(node))
        return base.moved(self._int(idx, node))

    def deref(self, p, node):
        if not isinstance(p, Ptr):
            raise UnsupportedConstruct("dereference of a non-pointer", _line(node))
        if isinstance(p.target, Array):
            return Ptr(p.buf, p.off, p.target.elem, p.dims[1:])
        if p.buf is None:
            raise KernelRunError(f"null pointer dereference at line {_line(node)}")
        if isinstance(p.target, Struct):
            raise UnsupportedConstruct("array of structs", _line(node))
        if isinstance(p.target, Scalar):
            p.buf.seen_type = p.target.name
        v = p.buf.load(p.off, node, tuple(self.counters), tuple(self.loops))
        return self._convert(v, p.target) if isinstance(p.target, Scalar) else v

    def address(self, node):
        if isinstance(node, c_ast.ArrayRef):
            return self._element_ptr(node)
        if isinstance(node, c_ast.UnaryOp) and node.op == "*":
            return self.eval(node.expr)
        raise UnsupportedConstruct("address of a variable", _line(node))

    def e_StructRef(self, node):
        base = self.eval(node.name)
        if node.type == "->":
            if not isinstance(base, Ptr) or not isinstance(base.buf, _StructBox):
                raise UnsupportedConstruct("'->' on something that is not a struct parameter", _line(node))
            base = base.buf.value
        if not isinstance(base, StructVal):
            raise UnsupportedConstruct("field access on a non-struct", _line(node))
        name = node.field.name
        if name not in base.fields:
            raise UnsupportedConstruct(f"struct field '{name}' has no value", _line(node))
        return base.fields[name]

    def e_FuncCall(self, node):
        if not isinstance(node.name, c_ast.ID):
            raise UnsupportedConstruct("call through a function pointer", _line(node))
        args = [self.eval(a) for a in (node.args.exprs if node.args else [])]
        if node.name.name in ("memset", "memcpy", "memmove") and node.name.name not in self.k.functions:
            return self._memory(node.name.name, args, node)
        return self._invoke(node.name.name, args)

    def _memory(self, name: str, args: list, node):
        """memset to zero and memcpy, element by element (sizes in bytes, as in C)."""
        if len(args) != 3 or not isinstance(args[0], Ptr) or not isinstance(args[2], int):
            raise UnsupportedConstruct(f"call to '{name}' with these arguments", _line(node))
        dst, src, nbytes = args
        if not isinstance(dst.target, Scalar):
            raise UnsupportedConstruct(f"'{name}' on an array of aggregates", _line(node))
        count = nbytes // _size_of(dst.target)
        if name == "memset":
            if src != 0:
                raise UnsupportedConstruct("memset to a value other than zero", _line(node))
            for k in range(count):
                self._store(dst.moved(k), 0, node)
            return dst
        if not isinstance(src, Ptr):
            raise UnsupportedConstruct(f"'{name}' from a non-pointer", _line(node))
        values = [self.deref(src.moved(k), node) for k in range(count)]   # memmove-safe
        for k, v in enumerate(values):
            self._store(dst.moved(k), v, node)
        return dst

    def e_Assignment(self, node):
        if node.op == "=":
            value = self.eval(node.rvalue)
        else:
            op = _ASSIGN_OPS.get(node.op)
            if op is None:
                raise UnsupportedConstruct(f"assignment operator '{node.op}'", _line(node))
            # evaluate the target once: `*p++ += x` must move p once
            if isinstance(node.lvalue, c_ast.ID):
                value = self.binop(op, self.eval(node.lvalue), self.eval(node.rvalue), node)
            else:
                p = self._lvalue_ptr(node.lvalue)
                value = self.binop(op, self.deref(p, node.lvalue), self.eval(node.rvalue), node)
                return self._store(p, value, node.lvalue)
        return self.assign(node.lvalue, value)

    def _lvalue_ptr(self, lv) -> Ptr:
        if isinstance(lv, c_ast.ArrayRef):
            return self._element_ptr(lv)
        if isinstance(lv, c_ast.UnaryOp) and lv.op == "*":
            p = self.eval(lv.expr)
            if not isinstance(p, Ptr):
                raise UnsupportedConstruct("store through a non-pointer", _line(lv))
            return p
        raise UnsupportedConstruct(f"assignment to {_describe(lv)}", _line(lv))

    def assign(self, lv, value):
        if isinstance(lv, c_ast.ID):
            var = self.lookup(lv.name, lv)
            if var.is_array:
                raise UnsupportedConstruct("assignment to an array", _line(lv))
            if self.journal is not None:
                self.journal.append(("var", var, var.value))
            var.value = self._convert(value, var.type)
            return var.value
        if isinstance(lv, c_ast.StructRef):
            raise UnsupportedConstruct("assignment to a struct field", _line(lv))
        return self._store(self._lvalue_ptr(lv), value, lv)

    def _store(self, p: Ptr, value, node):
        if p.buf is None:
            raise KernelRunError(f"null pointer write at line {_line(node)}")
        if isinstance(p.target, (Array, Struct)):
            raise UnsupportedConstruct("assignment of an aggregate", _line(node))
        value = self._convert(value, p.target)
        p.buf.seen_type = p.target.name
        if self.journal is not None:
            self.journal.append(("mem", p.buf, p.off, p.buf.data.get(p.off, _ABSENT)))
        p.buf.store(p.off, value, node, tuple(self.counters), tuple(self.loops))
        return value


_ABSENT = object()


def _size_of(t: CType) -> int:
    """Bytes of a type as the usual 64-bit ABI has them (`long` is not told apart from `int`)."""
    if isinstance(t, Pointer) or t == DOUBLE:
        return 8
    if isinstance(t, Array):
        raise UnsupportedConstruct("sizeof of an array")
    return 4


def _loc(entry) -> tuple:
    return ("var", id(entry[1])) if entry[0] == "var" else ("mem", id(entry[1]), entry[2])


def _current(entry):
    if entry[0] == "var":
        return entry[1].value
    return entry[1].data.get(entry[2])


def _previous(entry):
    """The value before the branch; for a memory cell never written, the input's value."""
    if entry[0] == "var":
        return entry[2]
    buf, off, before = entry[1], entry[2], entry[3]
    if before is not _ABSENT:
        return before
    return buf.init(off) if buf.init is not None else None


def _undo(entry):
    if entry[0] == "var":
        entry[1].value = entry[2]
    elif entry[3] is _ABSENT:
        entry[1].data.pop(entry[2], None)
    else:
        entry[1].data[entry[2]] = entry[3]


class _StructBox(Buffer):
    """Lets a pointer-to-struct parameter be a Ptr whose target is a StructVal."""

    def __init__(self, value: StructVal):
        super().__init__("struct")
        self.value = value


def struct_pointer(value: StructVal, t: Struct) -> Ptr:
    return Ptr(_StructBox(value), 0, t)


_EXPR_NODES = {"Assignment", "UnaryOp", "BinaryOp", "FuncCall", "ExprList", "ID", "Constant",
               "Cast", "TernaryOp", "ArrayRef", "StructRef"}


def _flatten_init(init) -> list:
    if isinstance(init, c_ast.InitList):
        out = []
        for e in init.exprs:
            out.extend(_flatten_init(e))
        return out
    return [init]


def _line(node) -> Optional[int]:
    return node.coord.line if isinstance(node, c_ast.Node) and node.coord else None


def _describe(node) -> str:
    names = {"Goto": "goto", "Label": "goto label", "Switch": "switch statement",
             "Case": "case label", "Default": "default label", "CompoundLiteral": "compound literal",
             "InitList": "initializer list", "NamedInitializer": "designated initializer"}
    n = type(node).__name__
    return names.get(n, n)
