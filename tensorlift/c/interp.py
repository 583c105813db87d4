"""An interpreter for the kernel AST.

One interpreter serves two stages: analysis runs it on concrete numbers and reads the trace
of every memory access (which buffer, which offset, at which loop iteration), and
verification runs it on solver terms. The arithmetic lives in an `Ops` object so the value
domain can change without touching the walk over the tree.

Values have their C types: clang made every conversion explicit, so an operator computes in
the type of its node and an integer result wraps to that type's width (`carith`).
Memory is a set of buffers that grow on demand: a kernel may touch any offset (up to
MAX_ELEMENTS), and the trace tells which region it touched. Offsets count scalar elements,
so `int A[N][M]`, `int **A` and pointer walking all reduce to one integer.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Callable, Optional

from .. import carith
from ..errors import KernelRunError, UnsupportedConstruct
from . import ast as A

MAX_ELEMENTS = 1 << 24
"""Largest offset and allocation (in elements) the interpreter accepts: a kernel reaching
further is refused, not run until memory runs out."""

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
    seen_type: Optional[str] = None                  # dtype of the last typed access
    writes: Optional[list] = None                    # shared log of buffer names, in write order
    size: Optional[int] = None                       # elements, for allocations (bounds-checked)
    stored: Optional[dict] = None                    # offset -> line of its first store, if kept

    def _check(self, off: int, node) -> None:
        if not 0 <= off < (self.size if self.size is not None else MAX_ELEMENTS) \
                and not (self.size is None and -MAX_ELEMENTS < off < 0):
            what = f"beyond its {self.size} elements" if self.size is not None else \
                f"beyond the {MAX_ELEMENTS} elements tensorlift handles"
            raise KernelRunError(f"access to {self.name}[{off}] at line {node.line}: {what}")

    def load(self, off: int, site, counters, loops=()):
        self._check(off, site)
        if self.trace is not None:
            self.trace.append((site, off, counters, False, loops))
        if off not in self.first_read:
            self.first_read[off] = True
        if off in self.data:
            return self.data[off]
        if self.init is None:
            raise KernelRunError(f"read of uninitialised memory {self.name}[{off}] at line {site.line}")
        v = self.data[off] = self.init(off)
        return v

    def store(self, off: int, value, site, counters, loops=()):
        self._check(off, site)
        if self.trace is not None:
            self.trace.append((site, off, counters, True, loops))
        if off not in self.first_read:
            self.first_read[off] = False
        if self.writes is not None:
            self.writes.append(self.name)
        if self.stored is not None:
            self.stored.setdefault(off, site.line)
        self.data[off] = value


@dataclass(frozen=True)
class Ptr:
    """A pointer: a buffer, an offset in scalars, the pointee type and the evaluated sizes
    of the pointee's array levels (so `p + 1` on `int (*)[M]` advances by M)."""
    buf: Optional[Buffer]
    off: int
    target: A.Type
    dims: tuple[int, ...] = ()

    @property
    def step(self) -> int:
        return math.prod(self.dims)

    def moved(self, k: int) -> "Ptr":
        return Ptr(self.buf, self.off + k * self.step, self.target, self.dims)


ROW_PITCH = 1 << 16
"""Offset between the rows of an `int **` array in the interpreter's flat buffer: far
apart, so the trace separates rows the way a stride parameter does."""


@dataclass(eq=False)
class Vec:
    """A C++ std::vector: `size` elements from offset `base` of `buf` (scalars), or, for a
    vector of vectors, rows kept in `rows` whose elements lie ROW_PITCH apart in `buf`, as
    for `T **`. Values are copied on assignment, as in C++."""
    buf: Buffer
    base: int
    size: int
    elem: A.Type
    rows: Optional[Buffer] = None

    @property
    def nested(self) -> bool:
        return isinstance(self.elem, A.Vector)


@dataclass
class StructVal:
    fields: dict[str, Any]


class StructBox(Buffer):
    """Lets a pointer-to-struct parameter be a Ptr whose target is a StructVal."""

    def __init__(self, value: StructVal):
        super().__init__("struct")
        self.value = value


def struct_pointer(value: StructVal, t: A.Struct) -> Ptr:
    return Ptr(StructBox(value), 0, t)


@dataclass
class Var:
    value: Any
    type: A.Type
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


def _nan_safe(fn):
    def call(*args):
        try:
            return fn(*args)
        except (ValueError, ZeroDivisionError):
            return math.nan
        except OverflowError:
            return math.inf
    return call


def _log(f):
    def call(x):
        if x == 0:
            return -math.inf
        if x < 0 or math.isnan(x):
            return math.nan
        return math.inf if math.isinf(x) else f(x)
    return call


def _pow(x, y):
    try:
        return math.pow(x, y)
    except ValueError:       # 0 to a negative power is a pole; a negative base to a fraction is NaN
        return math.copysign(math.inf, x) if x == 0 and y == int(y) and int(y) % 2 else \
            math.inf if x == 0 else math.nan
    except OverflowError:
        return -math.inf if x < 0 and y == int(y) and int(y) % 2 else math.inf


def _fmax(a, b):
    return b if math.isnan(a) else a if math.isnan(b) else max(a, b)


def _fmin(a, b):
    return b if math.isnan(a) else a if math.isnan(b) else min(a, b)


MATH = {
    "sqrt": _nan_safe(math.sqrt), "exp": _nan_safe(math.exp), "log": _log(math.log),
    "log2": _log(math.log2), "log10": _log(math.log10), "log1p": _nan_safe(math.log1p),
    "fabs": abs, "pow": _pow, "tanh": math.tanh, "sin": _nan_safe(math.sin),
    "cos": _nan_safe(math.cos), "tan": _nan_safe(math.tan), "atan": math.atan,
    "floor": lambda x: float(math.floor(x)) if math.isfinite(x) else x,
    "ceil": lambda x: float(math.ceil(x)) if math.isfinite(x) else x,
    "trunc": lambda x: float(math.trunc(x)) if math.isfinite(x) else x,
    "round": lambda x: float(math.floor(abs(x) + 0.5) * (1 if x >= 0 else -1)) if math.isfinite(x) else x,
    "fmax": _fmax, "fmin": _fmin, "fmod": _nan_safe(math.fmod), "exp2": _nan_safe(lambda x: 2.0 ** x),
    "erf": math.erf, "hypot": math.hypot, "atan2": math.atan2, "cbrt": lambda x: math.copysign(abs(x) ** (1 / 3), x),
}
"""libm functions, with the results C gives outside their domain (NaN, +-inf)."""
INT_FUNCTIONS = {"abs", "labs", "llabs"}
BUILTINS = {"memset", "memcpy", "memmove", "malloc", "calloc", "aligned_alloc", "free", "__assert_fail",
            "__builtin_prefetch", "__builtin_expect", "min", "max", "abs", "labs", "llabs"}


def known_function(name: str) -> bool:
    """A library function the interpreter models."""
    return name in BUILTINS or math_name(name) is not None


def math_name(name: str) -> Optional[str]:
    """The libm function a call names (`sqrtf` and `sqrtl` are `sqrt`), or None."""
    if name in MATH:
        return name
    if name.startswith("__builtin_"):
        return math_name(name[len("__builtin_"):])
    if name.endswith(("f", "l")) and name[:-1] in MATH:
        return name[:-1]
    if name.startswith("std::"):
        return math_name(name[5:])
    return None


REDRAWS = 40               # inputs drawn, at one set of sizes, before the C is taken for undefined there


class Undefined(KernelRunError):
    """The C has no defined result on these inputs (a zero divisor, a shift past the type's
    width, a failed assertion): examples and analysis draw other values."""


class NeverDefined(KernelRunError):
    """No input drawn at the sizes chosen makes the C defined (`i % head_size` when a
    size makes head_size 0): the sizes, not the code, may be to blame."""


class FieldStore(UnsupportedConstruct):
    """The kernel assigns a field of a struct (a node's shape), which no tensor program does."""


class Ops:
    """Concrete C arithmetic on Python ints and floats (`float` is computed as double)."""

    def arith(self, op: str, a, b, dtype: str, line: int):
        if carith.is_float(dtype):
            a, b = float(a), float(b)
            if op == "+":
                return a + b
            if op == "-":
                return a - b
            if op == "*":
                return a * b
            if op == "/":
                if b == 0.0:
                    return math.copysign(math.inf, a) * math.copysign(1.0, b) if a and not math.isnan(a) else math.nan
                return a / b
            raise UnsupportedConstruct(f"operator '{op}' on floating-point values", line)
        if op == "+":
            v = a + b
        elif op == "-":
            v = a - b
        elif op == "*":
            v = a * b
        elif op in ("/", "%"):
            if b == 0:
                raise Undefined(f"integer division by zero at line {line}")
            v = carith.c_div(a, b) if op == "/" else carith.c_mod(a, b)
        elif op in ("<<", ">>"):
            if not 0 <= b < carith.INT_TYPES[dtype][0]:
                raise Undefined(f"shift by {b} at line {line}, outside the width of {dtype}")
            v = a << b if op == "<<" else a >> b
        elif op == "&":
            v = a & b
        elif op == "|":
            v = a | b
        elif op == "^":
            v = a ^ b
        else:
            raise UnsupportedConstruct(f"operator '{op}'", line)
        return carith.wrap(v, dtype)

    def compare(self, op: str, a, b):
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
        return int(a != b)

    def neg(self, a, dtype: str):
        return -a if carith.is_float(dtype) else carith.wrap(-a, dtype)

    def bitnot(self, a, dtype: str):
        return carith.wrap(~a, dtype)

    def not_(self, a):
        return int(not self.truth(a))

    def truth(self, v) -> bool:
        return v != 0

    def decided(self, v) -> bool:
        """Whether a condition has a known truth value (always, for concrete numbers)."""
        return True

    def select(self, cond, a, b):
        return a if self.truth(cond) else b

    def convert(self, v, dtype: str):
        try:
            return carith.convert(v, dtype)
        except OverflowError as e:
            raise KernelRunError(f"conversion out of range: {e}") from None

    def call(self, name: str, args: list, dtype: str, line: int):
        base = math_name(name)
        if base is not None:
            r = MATH[base](*[float(a) for a in args])
            return float(r)
        if name in INT_FUNCTIONS:
            return float(abs(args[0])) if carith.is_float(dtype) else carith.wrap(abs(args[0]), dtype)
        if name in ("min", "max"):             # std::min, std::max
            return (min if name == "min" else max)(*args)
        raise UnsupportedConstruct(f"call to unknown function '{name}'", line)


# ---------------------------------------------------------------- interpreter

_ASSIGN_OPS = {"+=": "+", "-=": "-", "*=": "*", "/=": "/", "%=": "%", "<<=": "<<",
               ">>=": ">>", "&=": "&", "|=": "|", "^=": "^"}
_COMPARE = {"<", ">", "<=", ">=", "==", "!="}


def dtype_of(t: A.Type) -> str:
    t = A.strip_ref(t)
    return t.dtype if isinstance(t, A.Scalar) else "int64"


class Interpreter:
    """Runs one kernel call. `max_steps` bounds the work so that a kernel that never ends is
    reported instead of hanging the analysis."""

    def __init__(self, kernel: A.Kernel, ops: Optional[Ops] = None, max_steps: int = 2_000_000,
                 budget=None, executed: Optional[set] = None):
        self.k = kernel
        self.budget = budget
        self.executed = executed          # ids of the statements and assignments that ran
        self.trips: Optional[dict[int, int]] = None   # if set: each loop's most iterations in one run of it
        self.trace_locals = False         # local vectors record their accesses too (analysis)
        self.ops = ops or Ops()
        self.max_steps = max_steps
        self.steps = 0
        self.counters: list[int] = []     # iteration numbers of the active loops
        self.loops: list[int] = []        # ids of those loops' nodes
        self.call_stack: list[str] = []
        self.journal: Optional[list] = None   # undo log while a branch runs on a symbolic condition
        self.scopes: list[dict] = []
        self.globals: dict[str, Var] = {}
        self.macros: dict[str, int] = {}

    # -- entry ---------------------------------------------------------
    def call(self, args: dict[str, Any], globals_: Optional[dict[str, Any]] = None,
             macros: Optional[dict[str, int]] = None):
        """Run the kernel with parameter values by name (and values of the globals it uses, and
        of the size macros, which replace the literals written as them); returns its return value."""
        self.macros = macros or {}
        for name, v in (globals_ or {}).items():
            t = self.k.globals[name].type
            if isinstance(t, A.Array) and isinstance(v, Ptr):
                v = self.retype(v, A.Pointer(t.elem))
            self.globals[name] = Var(v, t, is_array=isinstance(t, A.Array))
        return self.invoke(self.k.name, [args[p.name] for p in self.k.params], None)

    def value_of(self, expr, args: dict[str, Any]):
        """An expression of the kernel's parameters alone (a condition on its scalars), at
        these values of them."""
        self.scopes = [{p.name: Var(self.convert(args[p.name], p.type), p.type) for p in self.k.params
                        if p.name in args}]
        return self.eval(expr)

    def invoke(self, name: str, argv: list, node):
        f = self.k.functions.get(name)
        if f is None:
            return self.builtin(name, argv, node)
        if name in self.call_stack:
            raise UnsupportedConstruct(f"recursive call to '{name}'", f.line)
        if len(f.params) != len(argv):
            raise UnsupportedConstruct(f"call to '{name}' with {len(argv)} arguments", f.line)
        scope: dict[str, Var] = {}
        self.call_stack.append(name)
        saved, self.scopes = self.scopes, [scope]
        try:
            for p, v in zip(f.params, argv):
                t = p.type
                if isinstance(t, A.Array):     # a parameter declared as an array is a pointer
                    t = A.Pointer(t.elem)
                    if isinstance(v, Ptr):
                        v = self.retype(v, t)
                if isinstance(t, A.Ref) and isinstance(v, Ptr):      # `double& out`: the element
                    scope[p.name] = Var(v, t)
                    continue
                scope[p.name] = Var(self.convert(v, t), t)
            try:
                self.exec(f.body)
            except _Return as r:
                if f.returns == A.VOID or r.value is None:
                    return None
                return self.convert(r.value, f.returns)
            return None
        finally:
            self.call_stack.pop()
            self.scopes = saved

    def builtin(self, name: str, args: list, node):
        line = node.line if node is not None else 0
        if name in ("memset", "memcpy", "memmove"):
            return self.memory(name, args, node)
        if name in ("malloc", "calloc", "aligned_alloc"):
            return self.allocate(name, args, node)
        if name == "__assert_fail":
            raise Undefined(f"the kernel's assertion at line {line} fails for these inputs")
        if name in ("free", "__builtin_prefetch"):
            return None
        if name == "__builtin_expect":
            return args[0]
        return self.ops.call(name, args, dtype_of(node.type) if node is not None else "double", line)

    # -- variables -----------------------------------------------------
    def lookup(self, node: A.Name) -> Var:
        if node.scope == "global":
            var = self.globals.get(node.name)
            if var is None:
                var = self.globals[node.name] = self.global_value(node)
            return var
        for s in reversed(self.scopes):
            if node.name in s:
                return s[node.name]
        raise UnsupportedConstruct(f"use of undeclared name '{node.name}'", node.line)

    def global_value(self, node: A.Name) -> Var:
        """A global the caller did not bind: a constant with an initialiser is folded."""
        g = self.k.globals[node.name]
        if not g.const or g.init is None:
            raise UnsupportedConstruct(f"global '{node.name}' without a value", node.line)
        decl = A.Decl(g.line, g.name, g.type, g.init)
        saved, self.scopes = self.scopes, [{}]
        try:
            self.exec(decl)
            return self.scopes[0][g.name]
        finally:
            self.scopes = saved

    def convert(self, v, t: A.Type):
        t = A.strip_ref(t)
        if isinstance(t, A.Vector) or isinstance(v, Vec):
            return v
        if isinstance(t, A.Scalar):
            if isinstance(v, Ptr):
                if t.dtype == "bool":
                    return int(v.buf is not None)
                raise UnsupportedConstruct("pointer converted to an integer")
            if isinstance(v, StructVal):
                return v
            return self.ops.convert(v, t.dtype)
        if isinstance(t, A.Pointer):
            return self.retype(v, t)
        return v

    def retype(self, p, t: A.Pointer):
        if not isinstance(p, Ptr):
            if not isinstance(p, (int, float)) or p != 0:
                raise UnsupportedConstruct("integer converted to a pointer")
            return Ptr(None, 0, t.target, self.dims(t.target))
        return Ptr(p.buf, p.off, t.target, self.dims(t.target))

    def dims(self, t: A.Type) -> tuple[int, ...]:
        out = []
        while isinstance(t, A.Array):
            if t.size is None:
                raise UnsupportedConstruct("array of unknown size")
            n = self.eval(t.size)
            if not isinstance(n, int):
                raise UnsupportedConstruct("array whose size depends on array values", t.size.line)
            out.append(n)
            t = t.elem
        return tuple(out)

    # -- statements ----------------------------------------------------
    def exec(self, node):
        self.tick()
        if self.executed is not None:
            self.executed.add(id(node))
        if isinstance(node, A.ExprStmt):
            self.eval(node.expr)
        elif isinstance(node, A.Block):
            if not node.scoped:
                for item in node.items:
                    self.exec(item)
                return
            self.scopes.append({})
            try:
                for item in node.items:
                    self.exec(item)
            finally:
                self.scopes.pop()
        elif isinstance(node, A.Decl):
            self.declare(node)
        elif isinstance(node, A.Loop):
            self.loop(node)
        elif isinstance(node, A.If):
            self.branch(node)
        elif isinstance(node, A.Jump):
            raise _Break() if node.kind == "break" else _Continue()
        elif isinstance(node, A.Return):
            raise _Return(None if node.value is None else self.eval(node.value))
        else:
            raise UnsupportedConstruct(type(node).__name__.lower(), node.line)

    def declare(self, node: A.Decl):
        t = node.type
        if isinstance(t, A.Array):
            dims = self.dims(t)
            n = math.prod(dims)
            if n > MAX_ELEMENTS:
                raise KernelRunError(f"local array '{node.name}' of {n} elements at line {node.line} is "
                                     "larger than tensorlift handles")
            buf = Buffer(node.name, size=n)
            elem = A.element(t)
            self.scopes[-1][node.name] = Var(Ptr(buf, 0, t.elem, dims[1:]), t, is_array=True)
            if node.init is not None:
                flat = _flatten_init(node.init)
                for i, e in enumerate(flat[:n]):
                    buf.data[i] = self.convert(self.eval(e), elem)
                buf.init = lambda off, zero=self.convert(0, elem): zero    # the rest, when read
            return
        if isinstance(t, A.Struct):
            raise UnsupportedConstruct(f"local struct variable '{node.name}'", node.line)
        if isinstance(t, A.Ref) and node.init is not None:      # `auto& v = x[i]`, `const auto& row = m[i]`
            target = self.eval(node.init) if isinstance(A.strip_ref(t), A.Vector) else self.lvalue_ptr(node.init)
            self.scopes[-1][node.name] = Var(target, t)
            return
        if isinstance(t, A.Vector):
            value = self.eval(node.init) if node.init is not None else self.new_vec(t, 0, node)
            self.scopes[-1][node.name] = Var(value, t)
            return
        value = None
        if node.init is not None:
            if isinstance(node.init, A.InitList):
                raise UnsupportedConstruct("initializer list for a scalar", node.line)
            value = self.convert(self.eval(node.init), t)
        self.scopes[-1][node.name] = Var(value, t)

    def loop(self, node: A.Loop):
        """Every loop form, counting its iterations for the trace (`counters`, `loops`)."""
        if node.over is not None:
            return self.range_for(node)
        self.scopes.append({})
        self.counters.append(0)
        self.loops.append(id(node))
        try:
            if node.init is not None:
                self.exec(node.init)
            cond = node.cond
            while not node.test_first or cond is None or self.ops.truth(self.eval(cond)):
                try:
                    self.exec(node.body)
                except _Break:
                    break
                except _Continue:
                    pass
                if node.step is not None:
                    self.eval(node.step)
                self.counters[-1] += 1
                self.tick()
                if not node.test_first and not self.ops.truth(self.eval(cond)):
                    break
        finally:
            self._count_trips(node)
            self.counters.pop()
            self.loops.pop()
            self.scopes.pop()

    def range_for(self, node: A.Loop):
        """`for (auto x : v)` and `for (auto& x : v)`: the element bound at each iteration."""
        vec = self.eval(node.over)
        if not isinstance(vec, Vec):
            raise UnsupportedConstruct("range-for over something that is not a vector", node.line)
        decl = node.init
        self.counters.append(0)
        self.loops.append(id(node))
        try:
            for i in range(vec.size):
                self.scopes.append({})
                try:
                    if vec.nested:
                        value = vec.rows.load(i, decl, ())
                    elif isinstance(decl.type, A.Ref):
                        value = Ptr(vec.buf, vec.base + i, vec.elem)
                    else:
                        value = self.deref(Ptr(vec.buf, vec.base + i, vec.elem), decl)
                    self.scopes[-1][decl.name] = Var(value, decl.type)
                    self.exec(node.body)
                except _Break:
                    break
                except _Continue:
                    pass
                finally:
                    self.scopes.pop()
                self.counters[-1] += 1
                self.tick()
        finally:
            self._count_trips(node)
            self.counters.pop()
            self.loops.pop()

    def _count_trips(self, node) -> None:
        if self.trips is not None:
            self.trips[id(node)] = max(self.trips.get(id(node), 0), self.counters[-1])

    # -- C++ vectors ---------------------------------------------------
    def new_vec(self, t: A.Vector, size: int, node, fill=None) -> Vec:
        """A local vector of `size` elements (`fill`, or zeros)."""
        name = f"vector@{node.line}"
        trace = [] if self.trace_locals else None
        if isinstance(t.elem, A.Vector):
            data = Buffer(name, trace=trace)
            rows = Buffer(name + "/rows")
            vec = Vec(data, 0, 0, t.elem, rows)
            for r in range(size):
                self.push(vec, fill if isinstance(fill, Vec) else self.new_vec(t.elem, 0, node), node)
            return vec
        zero = self.convert(fill if fill is not None else 0, t.elem)
        return Vec(Buffer(name, init=lambda off: zero, trace=trace), 0, size, t.elem)

    def push(self, vec: Vec, value, node) -> None:
        """`push_back`: a row is copied into the rows of a vector of vectors, with the record
        of how its elements were computed (so that analysis sees them as the output's)."""
        if not vec.nested:
            self.store(Ptr(vec.buf, vec.base + vec.size, vec.elem), value, node)
            vec.size += 1
            return
        if not isinstance(value, Vec):
            raise UnsupportedConstruct("push_back of something that is not a vector into a vector of vectors", node.line)
        r = vec.size
        base = r * ROW_PITCH
        src = value.buf
        for c in range(value.size):
            off = value.base + c
            v = src.data[off] if off in src.data else src.init(off) if src.init is not None else None
            if v is not None:
                vec.buf.data[base + c] = v
        if src.trace is not None and vec.buf.trace is not None:
            for site, off, counters, write, loops in src.trace:
                if value.base <= off < value.base + value.size:
                    vec.buf.trace.append((site, base + off - value.base, counters, write, loops))
        for off, first in src.first_read.items():
            if value.base <= off < value.base + value.size:
                vec.buf.first_read.setdefault(base + off - value.base, first)
        if src.stored is not None and vec.buf.stored is not None:
            for off, line in src.stored.items():
                vec.buf.stored.setdefault(base + off - value.base, line)
        vec.rows.data[r] = Vec(vec.buf, base, value.size, value.elem)
        vec.size += 1

    def e_initlist(self, node: A.InitList):
        """`array<float, 3> r{}`, `vector<int> v{1, 2, 3}`: the listed elements, then zeros."""
        t = A.strip_ref(node.type)
        if not isinstance(t, A.Vector) or isinstance(t.elem, A.Vector):
            raise UnsupportedConstruct("initializer list", node.line)
        items = [self.eval(x) for x in node.items]
        vec = self.new_vec(t, max(t.fixed or 0, len(items)), node)
        for k, v in enumerate(items):
            self.store(Ptr(vec.buf, k, vec.elem), v, node)
        return vec

    def copy_vec(self, v: Vec, node) -> Vec:
        out = self.new_vec(A.Vector(v.elem), 0, node)
        for i in range(v.size):
            self.push(out, v.rows.load(i, node, ()) if v.nested else
                      self.deref(Ptr(v.buf, v.base + i, v.elem), node), node)
        return out

    def e_construct(self, node: A.Construct):
        t = A.strip_ref(node.type)
        if not isinstance(t, A.Vector):
            raise UnsupportedConstruct(f"construction of a {type(t).__name__.lower()}", node.line)
        args = [self.eval(a) for a in node.args if not isinstance(A.strip_ref(getattr(a, "type", None)), A.Struct)]
        if len(args) == 1 and isinstance(args[0], Vec):
            return args[0]          # a copy that is moved or returned: the same vector
        if t.fixed is not None and not args:
            return self.new_vec(t, t.fixed, node)
        size = self.int_value(args[0], node) if args else 0
        return self.new_vec(t, size, node, args[1] if len(args) > 1 else None)

    def e_method(self, node: A.Method):
        vec = self.eval(node.obj)
        if not isinstance(vec, Vec):
            raise UnsupportedConstruct(f"method '{node.method}' of something that is not a vector", node.line)
        args = [self.eval(a) for a in node.args]
        m = node.method
        if m == "size":
            return vec.size
        if m == "empty":
            return int(vec.size == 0)
        if m in ("push_back", "emplace_back"):
            self.push(vec, args[0] if args else 0, node)
            return None
        if m in ("resize", "assign"):
            n = self.int_value(args[0], node)
            fill = args[1] if len(args) > 1 else 0
            for k in range(vec.size if m == "resize" else 0, n):
                self.store(Ptr(vec.buf, vec.base + k, vec.elem), fill, node)
            vec.size = n
            return None
        if m == "clear":
            vec.size = 0
            return None
        if m in ("back", "front"):
            return self.deref(Ptr(vec.buf, vec.base + (vec.size - 1 if m == "back" else 0), vec.elem), node)
        if m == "reserve":
            return None
        if m == "data":
            return Ptr(vec.buf, vec.base, vec.elem)
        raise UnsupportedConstruct(f"vector method '{m}'", node.line)

    def tick(self):
        self.steps += 1
        if self.budget is not None and not self.steps & 1023:
            self.budget.check("interpretation")
        if self.steps > self.max_steps:
            raise KernelRunError(f"kernel did not finish within {self.max_steps} interpreted steps")

    def branch(self, node: A.If):
        cond = self.eval(node.cond)
        if not self.ops.decided(cond):
            return self.merge_branches(node, cond)
        if self.ops.truth(cond):
            self.exec(node.then)
        elif node.other is not None:
            self.exec(node.other)

    def merge_branches(self, node: A.If, cond):
        """A condition on solver terms: run both branches from the same state and merge every
        variable and memory cell they touched into `select(cond, then, else)`."""
        outer = self.journal
        old: dict = {}          # location -> (undo entry) at first touch
        finals, returned = [], []
        for branch in (node.then, node.other):
            self.journal = []
            try:
                if branch is not None:
                    self.exec(branch)
                returned.append(_ABSENT)
            except _Return as r:     # both branches return (early returns are normalised so)
                returned.append(r.value)
            except _Signal:
                raise UnsupportedConstruct("break or continue under a condition on array values",
                                           node.line) from None
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
                                           node.line)
            if _number(t) and _number(f):
                merged = self.ops.select(cond, t, f)
            elif t == f:
                merged = t
            else:       # a pointer or a vector has no select: both branches must leave it alike
                raise UnsupportedConstruct("a pointer moved on one branch only of a condition on values",
                                           node.line)
            self.log(entry)
            if entry[0] == "var":
                entry[1].value = merged
            else:
                entry[1].data[entry[2]] = merged
        if (returned[0] is _ABSENT) != (returned[1] is _ABSENT):
            raise UnsupportedConstruct("a return on one branch only of a condition on array values", node.line)
        if returned[0] is not _ABSENT:
            raise _Return(None if returned[0] is None else self.ops.select(cond, returned[0], returned[1]))

    def log(self, entry):
        if self.journal is not None:
            if entry[0] == "var":
                self.journal.append(("var", entry[1], entry[1].value))
            else:
                buf, off = entry[1], entry[2]
                self.journal.append(("mem", buf, off, buf.data.get(off, _ABSENT)))

    # -- expressions -----------------------------------------------------
    def eval(self, node):
        m = _EVAL.get(type(node))
        if m is None:
            raise UnsupportedConstruct(type(node).__name__.lower(), node.line)
        return m(self, node)

    def e_lit(self, node: A.Lit):
        if node.macro is not None and node.macro in self.macros:
            return self.macros[node.macro]
        return node.value

    def e_name(self, node: A.Name):
        if node.scope == "function":
            raise UnsupportedConstruct(f"function '{node.name}' used as a value", node.line)
        var = self.lookup(node)
        if var.value is None:
            raise KernelRunError(f"use of uninitialised variable '{node.name}' at line {node.line}")
        if isinstance(var.type, A.Ref) and isinstance(var.value, Ptr):    # a C++ reference to an element
            return self.deref(var.value, node)
        return var.value

    def e_cast(self, node: A.Cast):
        v = self.eval(node.expr)
        t = A.strip_ref(node.type)
        if t == A.VOID:
            return None
        return self.convert(v, t)

    def e_comma(self, node: A.Comma):
        v = None
        for e in node.exprs:
            v = self.eval(e)
        return v

    def e_cond(self, node: A.Cond):
        c = self.eval(node.cond)
        if self.ops.decided(c):
            return self.eval(node.then) if self.ops.truth(c) else self.eval(node.other)
        return self.ops.select(c, self.eval(node.then), self.eval(node.other))

    def e_binary(self, node: A.Binary):
        op = node.op
        if op in ("&&", "||"):
            a = self.eval(node.left)
            if self.ops.decided(a):
                if self.ops.truth(a) == (op == "||"):
                    return int(op == "||")          # short-circuit: the right side is not evaluated
                return int(self.ops.truth(self.eval(node.right)))
            # a condition on solver terms: the right side too, both merged (it only reads)
            b = self.ops.select(self.eval(node.right), 1, 0)
            return self.ops.select(a, b, 0) if op == "&&" else self.ops.select(a, 1, b)
        return self.binop(op, self.eval(node.left), self.eval(node.right), node)

    def binop(self, op, a, b, node):
        if isinstance(a, Ptr) or isinstance(b, Ptr):
            return self.ptr_arith(op, a, b, node)
        if op in _COMPARE:
            return self.ops.compare(op, a, b)
        return self.ops.arith(op, a, b, dtype_of(node.type), node.line)

    def ptr_arith(self, op, a, b, node):
        if isinstance(a, Ptr) and isinstance(b, Ptr):
            if a.buf is not b.buf and op not in ("==", "!="):
                raise UnsupportedConstruct("arithmetic between unrelated pointers", node.line)
            if op == "-":
                return (a.off - b.off) // (a.step or 1)
            same = a.buf is b.buf and a.off == b.off
            if op == "==":
                return int(same)
            if op == "!=":
                return int(not same)
            return self.ops.compare(op, a.off, b.off)
        if op == "+":
            p, k = (a, b) if isinstance(a, Ptr) else (b, a)
            return p.moved(self.int_value(k, node))
        if op == "-" and isinstance(a, Ptr):
            return a.moved(-self.int_value(b, node))
        if op in ("==", "!=") and (a == 0 or b == 0):
            isnull = (a if isinstance(a, Ptr) else b).buf is None
            return int(isnull) if op == "==" else int(not isnull)
        raise UnsupportedConstruct(f"pointer operation '{op}'", node.line)

    def int_value(self, v, node) -> int:
        if isinstance(v, int):
            return v
        raise UnsupportedConstruct("non-integer or data-dependent pointer offset", node.line)

    def e_unary(self, node: A.Unary):
        op = node.op
        if op in ("p++", "p--", "++", "--"):
            old = self.eval(node.operand)
            delta = 1 if "+" in op else -1
            new = old.moved(delta) if isinstance(old, Ptr) else \
                self.ops.arith("+", old, delta, dtype_of(node.type), node.line)
            self.assign(node.operand, new)
            return old if op.startswith("p") else new
        if op == "*":
            return self.deref(self.eval(node.operand), node)
        if op == "&":
            return self.address(node.operand)
        v = self.eval(node.operand)
        if op == "-":
            return self.ops.neg(v, dtype_of(node.type))
        if op == "+":
            return v
        if op == "!":
            return self.ops.not_(v) if not isinstance(v, Ptr) else int(v.buf is None)
        if op == "~":
            return self.ops.bitnot(self.int_value(v, node), dtype_of(node.type))
        raise UnsupportedConstruct(f"unary operator '{op}'", node.line)

    def e_index(self, node: A.Index):
        base, idx = self.eval(node.base), self.eval(node.index)
        if isinstance(base, Vec) and base.nested:       # a row: the vector itself, not a copy
            return base.rows.load(self.int_value(idx, node), node, ())
        return self.deref(self.ptr_at(base, idx, node), node)

    def element_ptr(self, node: A.Index) -> Ptr:
        return self.ptr_at(self.eval(node.base), self.eval(node.index), node)

    def ptr_at(self, base, idx, node) -> Ptr:
        if isinstance(idx, Ptr):
            base, idx = idx, base
        if isinstance(base, Vec):
            if base.nested:
                raise UnsupportedConstruct("address of a row of a vector", node.line)
            return Ptr(base.buf, base.base + self.int_value(idx, node), base.elem)
        if not isinstance(base, Ptr):
            raise UnsupportedConstruct("subscript of something that is not an array", node.line)
        return base.moved(self.int_value(idx, node))

    def deref(self, p, node):
        if not isinstance(p, Ptr):
            raise UnsupportedConstruct("dereference of something that is not a pointer", node.line)
        if isinstance(p.target, A.Array):
            return Ptr(p.buf, p.off, p.target.elem, p.dims[1:])
        if p.buf is None:
            raise KernelRunError(f"null pointer dereference at line {node.line}")
        if isinstance(p.target, A.Struct):
            raise UnsupportedConstruct("array of structs", node.line)
        if isinstance(p.target, A.Scalar):
            p.buf.seen_type = p.target.dtype
        v = p.buf.load(p.off, node, tuple(self.counters), tuple(self.loops))
        return self.convert(v, p.target) if isinstance(p.target, A.Scalar) else v

    def address(self, node):
        if isinstance(node, A.Index):
            return self.element_ptr(node)
        if isinstance(node, A.Unary) and node.op == "*":
            return self.eval(node.operand)
        if isinstance(node, A.Name):
            var = self.lookup(node)
            if var.is_array:
                return var.value
        raise UnsupportedConstruct("address of a variable", node.line)

    def e_member(self, node: A.Member):
        base = self.eval(node.base)
        if node.arrow:
            if not isinstance(base, Ptr) or not isinstance(base.buf, StructBox):
                raise UnsupportedConstruct("'->' on something that is not a struct parameter", node.line)
            base = base.buf.value
        if not isinstance(base, StructVal):
            raise UnsupportedConstruct("field access on something that is not a struct", node.line)
        if node.field not in base.fields:
            raise UnsupportedConstruct(f"struct field '{node.field}' has no value", node.line)
        return base.fields[node.field]

    def e_stmt_expr(self, node: A.StmtExpr):
        items = node.body.items
        self.scopes.append({})
        try:
            for item in items[:-1]:
                self.exec(item)
            last = items[-1] if items else None
            if isinstance(last, A.ExprStmt):
                return self.eval(last.expr)
            if last is not None:
                self.exec(last)
            return None
        finally:
            self.scopes.pop()

    def e_call(self, node: A.Call):
        args = [self.eval(a) for a in node.args]
        return self.invoke(node.func, args, node)

    def memory(self, name: str, args: list, node):
        """memset to zero and memcpy, element by element (sizes in bytes, as in C)."""
        if len(args) != 3 or not isinstance(args[0], Ptr) or not isinstance(args[2], int):
            raise UnsupportedConstruct(f"call to '{name}' with these arguments", node.line)
        dst, src, nbytes = args
        target = dst.target if isinstance(dst.target, A.Scalar) else \
            src.target if isinstance(src, Ptr) and isinstance(src.target, A.Scalar) else None
        if target is None:
            raise UnsupportedConstruct(f"'{name}' on memory of unknown element type", node.line)
        count = nbytes // size_of(target)
        dst = Ptr(dst.buf, dst.off, target)
        if name == "memset":
            if src != 0:
                raise UnsupportedConstruct("memset to a value other than zero", node.line)
            for k in range(count):
                self.store(dst.moved(k), 0, node)
            return args[0]
        if not isinstance(src, Ptr):
            raise UnsupportedConstruct(f"'{name}' from a non-pointer", node.line)
        src = Ptr(src.buf, src.off, target)
        values = [self.deref(src.moved(k), node) for k in range(count)]   # memmove-safe
        for k, v in enumerate(values):
            self.store(dst.moved(k), v, node)
        return args[0]

    def allocate(self, name: str, args: list, node):
        """A scratch buffer; its element type is set by the pointer it is converted to."""
        if not all(isinstance(a, int) for a in args):
            raise UnsupportedConstruct(f"'{name}' of a size that depends on array values", node.line)
        nbytes = args[0] * args[1] if name == "calloc" else args[-1]
        if nbytes < 0 or nbytes > MAX_ELEMENTS * 8:
            raise KernelRunError(f"{name} of {nbytes} bytes at line {node.line} refused: more memory "
                                 "than tensorlift gives a kernel")
        buf = Buffer(f"{name}@{node.line}", init=(lambda off: 0) if name == "calloc" else None)
        return Ptr(buf, 0, A.Scalar("uint8"))

    def e_assign(self, node: A.Assign):
        if self.executed is not None:
            self.executed.add(id(node))
        if node.op == "=":
            value = self.eval(node.value)
            return self.assign(node.target, value)
        op = _ASSIGN_OPS.get(node.op)
        if op is None:
            raise UnsupportedConstruct(f"assignment operator '{node.op}'", node.line)
        # `a op= b` computes in the common type of a (promoted) and b: evaluate the target once
        ttype = A.strip_ref(node.target.type)
        if isinstance(node.target, A.Name):
            old = self.eval(node.target)
            p = None
        else:
            p = self.lvalue_ptr(node.target)
            old = self.deref(p, node.target)
        rhs = self.eval(node.value)
        if isinstance(old, Ptr):
            value = self.ptr_arith(op, old, rhs, node)
        else:
            vt = dtype_of(node.value.type)
            ct = carith.common(dtype_of(ttype), vt) if op not in ("<<", ">>") else carith.promote(dtype_of(ttype))
            value = self.ops.arith(op, self.ops.convert(old, ct), self.ops.convert(rhs, ct) if op not in ("<<", ">>") else rhs,
                                   ct, node.line)
        if p is None:
            return self.assign(node.target, value)
        return self.store(p, value, node.target)

    def lvalue_ptr(self, lv) -> Ptr:
        if isinstance(lv, A.Index):
            return self.element_ptr(lv)
        if isinstance(lv, A.Name):
            var = self.lookup(lv)
            if isinstance(var.type, A.Ref) and isinstance(var.value, Ptr):
                return var.value
        if isinstance(lv, A.Unary) and lv.op == "*":
            p = self.eval(lv.operand)
            if not isinstance(p, Ptr):
                raise UnsupportedConstruct("store through something that is not a pointer", lv.line)
            return p
        raise UnsupportedConstruct(f"assignment to {type(lv).__name__.lower()}", lv.line)

    def assign(self, lv, value):
        if isinstance(lv, A.Name):
            var = self.lookup(lv)
            if var.is_array:
                raise UnsupportedConstruct("assignment to an array", lv.line)
            if isinstance(var.type, A.Ref) and isinstance(var.value, Ptr):
                return self.store(var.value, value, lv)
            if isinstance(value, Vec):
                value = self.copy_vec(value, lv)
            if self.journal is not None:
                self.journal.append(("var", var, var.value))
            var.value = self.convert(value, var.type)
            return var.value
        if isinstance(lv, A.Member):
            raise FieldStore("assignment to a struct field", lv.line)
        return self.store(self.lvalue_ptr(lv), value, lv)

    def store(self, p: Ptr, value, node):
        if p.buf is None:
            raise KernelRunError(f"null pointer write at line {node.line}")
        if isinstance(p.target, (A.Array, A.Struct)):
            raise UnsupportedConstruct("assignment of an aggregate", node.line)
        value = self.convert(value, p.target)
        if isinstance(p.target, A.Scalar):
            p.buf.seen_type = p.target.dtype
        if self.journal is not None:
            self.journal.append(("mem", p.buf, p.off, p.buf.data.get(p.off, _ABSENT)))
        p.buf.store(p.off, value, node, tuple(self.counters), tuple(self.loops))
        return value


_EVAL = {A.Lit: Interpreter.e_lit, A.Name: Interpreter.e_name, A.Cast: Interpreter.e_cast,
         A.Comma: Interpreter.e_comma, A.Cond: Interpreter.e_cond, A.Binary: Interpreter.e_binary,
         A.Unary: Interpreter.e_unary, A.Index: Interpreter.e_index, A.Member: Interpreter.e_member,
         A.Call: Interpreter.e_call, A.Assign: Interpreter.e_assign, A.StmtExpr: Interpreter.e_stmt_expr,
         A.Construct: Interpreter.e_construct, A.Method: Interpreter.e_method,
         A.InitList: Interpreter.e_initlist}

_ABSENT = object()


def size_of(t: A.Type) -> int:
    """Bytes of a type on the LP64 ABI."""
    t = A.strip_ref(t)
    if isinstance(t, A.Pointer):
        return 8
    if isinstance(t, A.Scalar):
        bits = carith.INT_TYPES[t.dtype][0] if carith.is_int(t.dtype) else carith.FLOAT_TYPES[t.dtype]
        return max(1, bits // 8)
    raise UnsupportedConstruct("size of an aggregate")


def _number(v) -> bool:
    """A number or a solver term, which `select` can merge (not a pointer, vector or struct)."""
    return not isinstance(v, (Ptr, Vec, StructVal))


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


def _flatten_init(init) -> list:
    if isinstance(init, A.InitList):
        out = []
        for e in init.items:
            out.extend(_flatten_init(e))
        return out
    return [init]
