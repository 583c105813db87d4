"""Python code for array libraries (NumPy, PyTorch, JAX) from a plan.

One generator writes all three; a `Dialect` knows how each library spells things.

Every subexpression becomes a value whose axes are named by index variables. Products
(with the sums placed inside them) become one `einsum`; `+ - /`, `min`/`max` and friends
line their operands up by broadcasting (`x[:, None]`, `A.T`); a sum outside a product
becomes `sum(..., axis=...)`. Values are computed in the precision the C computes in
(`plan.inner_dtypes`: float32 for `float` code, int32 unless 64 bits take part); each output
is converted to its C type (int -> int32, float -> float32, double -> float64) on return.
JAX's 64-bit mode is turned on only for code that computes in 64 bits.

An array argument is the array in its shape or the C's flat buffer of it, which may be longer
(as a C caller's buffer may be): `_from_c` takes its first elements, and `_to_c` gives an
output back in the caller's longer buffer, the rest as given.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional

from .. import carith
from ..errors import TensorliftError
from ..taco import ops
from ..taco.ir import (Program, Access, BinOp, Call, Const, Guarded, Neg, Not, Reduce, accesses, index_names,
                       is_index_value)
from .plan import (Node, Plan, StatementPlan, TensorInfo, doc_shape, make_plan, parameter_doc, promote,
                   shape_code, shape_exprs, signature_code, size_sources)

ADD, MUL, UNARY, ATOM = 1, 2, 3, 4
OUTPUT_DTYPE = carith.NUMPY


@dataclass
class Val:
    code: str
    vars: tuple[str, ...]     # the value's axes, in order
    kind: str                 # "int" | "float"
    prec: int = ATOM          # Python precedence of `code`
    array: bool = True        # False for a plain Python number


def paren(v: Val, prec: int) -> str:
    return f"({v.code})" if v.prec < prec else v.code


_BUFFERS = '''
def _c_places(shape, strides=None):
    """Where each element of an array of `shape` lies in the C's buffer: in order, or
    `strides` apart (rows further apart than they are long)."""
    if strides is None:
        return np.arange(math.prod(shape)).reshape(shape)
    return {places}


def _from_c(x, shape, dtype, name, strides=None):
    """An array as the C reads it, in `shape`: the first elements of its buffer (which may be
    longer, as the C allows, or come in `shape` already), or, with `strides`, the elements
    that far apart."""
    x = {asarray}
    if tuple(x.shape) == tuple(shape):
        return x
    at = None if strides is None else _c_places(shape, strides)
    need = math.prod(shape) if at is None or not math.prod(shape) else int(at.max()) + 1
    if math.prod(x.shape) < need:
        raise ValueError(f"{{name}} has {{math.prod(x.shape)}} elements; the C reads {{need}} (shape {{shape}})")
    flat = x.reshape(-1)
    return flat[:need].reshape(shape) if at is None else flat[at]


def _to_c(value, buffer, dtype, strides=None):
    """An output as the C leaves it: in its shape, or, when the caller gives the C's buffer
    (longer, or with rows `strides` apart), a copy of that buffer with the output in place."""
    value = {copy_value}
    if buffer is None or tuple({shape_of}) == tuple(value.shape) \\
            or (strides is None and math.prod({shape_of}) == math.prod(value.shape)):
        return value
    out = {copy_buffer}
    at = _c_places(tuple(value.shape), strides)
    {put}
'''

# The helpers below give a zero divisor the value `ops.INT_DIVISION_BY_ZERO` (0), as the evaluator does.
_CDIV = '''
def _c_div(a, b):
    """Integer division as in C: the quotient is truncated toward zero. A zero divisor
    gives 0: C never divides by zero where it runs, but a where computes both branches."""
    a, b = np.asarray(a), np.asarray(b)
    q = np.abs(a) // np.where(b == 0, 1, np.abs(b))
    return np.where(b == 0, 0, np.where((a < 0) != (b < 0), -q, q))
'''


class Dialect:
    """How a library spells things, for code that computes in `inner` (kind -> dtype name)."""
    target = ""
    imports = "import numpy as np"
    lib = ""                  # the module alias (`np`, `torch`, `jnp`)
    axis = "axis"

    def __init__(self, inner: Optional[dict[str, str]] = None):
        self.inner = inner or {"int": "int64", "float": "float64"}

    def imports_for(self, body: str) -> str:
        """The imports of a module whose code is `body`."""
        return self.imports

    # how the buffer helpers (_BUFFERS) convert, copy and write, in this library
    spelling = {"asarray": "np.asarray(x, dtype=dtype)", "copy_value": "np.array(value, dtype=dtype)",
                "copy_buffer": "np.array(buffer, dtype=dtype)", "shape_of": "np.shape(buffer)",
                "put": "out.reshape(-1)[at] = value\n    return out",
                "places": "np.tensordot(np.asarray(strides), np.indices(shape), axes=1)"}

    @property
    def helpers(self) -> str:
        """The functions the code may call (NumPy's API: jnp has it too): `_c_div`, then
        `_c_places`, `_from_c` and `_to_c`, apart by two blank lines."""
        lib = f"{self.lib}."
        return _CDIV.replace("np.", lib) + "\n\n" + _BUFFERS.replace("np.", lib).format(**self.spelling)

    def dtype(self, name: str) -> str:
        return f"{self.lib}.{name}"

    def convert_input(self, ident: str, kind: str) -> str:
        return f"{self.lib}.asarray({ident}, dtype={self.dtype(self.inner[kind])})"

    def from_c(self, ident: str, shape: str, kind: str, strides: Optional[str] = None) -> str:
        """An array argument, as the C reads it (see `_from_c`)."""
        more = "" if strides is None else f", {strides}"
        return f'_from_c({ident}, {shape}, {self.dtype(self.inner[kind])}, "{ident}"{more})'

    def einsum(self, spec: str, operands: list[str]) -> str:
        return f'{self.lib}.einsum("{spec}", {", ".join(operands)})'

    def sum(self, code: str, axes: list[int]) -> str:
        """Sum over the given axes (all of them when `axes` is empty)."""
        if not axes:
            return f"{self.lib}.sum({code})"
        ax = str(axes[0]) if len(axes) == 1 else f"({', '.join(map(str, axes))})"
        return f"{self.lib}.sum({code}, {self.axis}={ax})"

    def transpose(self, atom: str, perm: list[int]) -> str:
        if perm == [1, 0]:
            return f"{atom}.T"
        return f"{self.lib}.transpose({atom}, {tuple(perm)})"

    def broadcast_to(self, v: Val, shape: str) -> str:
        return f"{self.lib}.broadcast_to({v.code}, {shape})"

    def cast(self, v: Val, kind: str) -> str:
        """The value converted to the inner integer type (truncating toward zero, as C does)
        or the inner float type."""
        return f"{paren(v, ATOM)}.astype({self.dtype(self.inner[kind])})"

    def float_operand(self, v: Val) -> str:
        """An int array operand of a float operation: cast to float32 (NumPy makes int32 with
        float32 a float64), left to promote to float64."""
        return self.cast(v, "float") if v.array and v.kind == "int" and self.inner["float"] == "float32" \
            else v.code

    def number(self, v: Val) -> str:
        """A Python number as an array of its kind."""
        return f"{self.lib}.asarray({v.code}, dtype={self.dtype(self.inner[v.kind])})"

    def call(self, func: str, args: list[Val], kind: str) -> str:
        name = getattr(ops.FUNCTIONS[func], self.target)
        codes = [a.code for a in args]
        out = codes[0]
        if func in ("min", "max"):
            for c in codes[1:]:
                out = f"{self.lib}.{name}({out}, {c})"
            return out
        return f"{self.lib}.{name}({', '.join(codes)})"

    def output(self, ident: str, ctype: str, scalar: bool) -> str:
        return f"{self.lib}.asarray({ident}, dtype={self.dtype(OUTPUT_DTYPE[ctype])})"

    def to_c(self, ident: str, buffer: str, ctype: str, strides: Optional[str] = None) -> str:
        """An output array, in the caller's buffer if it is the C's (see `_to_c`)."""
        more = "" if strides is None else f", {strides}"
        return f"_to_c({ident}, {buffer}, {self.dtype(OUTPUT_DTYPE[ctype])}{more})"

    def reduce(self, op: str, code: str, axes: list[int]) -> str:
        """A reduction by sum, max, min or product over the given axes (all when empty)."""
        if op == "sum":
            return self.sum(code, axes)
        ax = "" if not axes else f", {self.axis}={axes[0] if len(axes) == 1 else tuple(axes)}"
        return f"{self.lib}.{getattr(ops.REDUCTIONS[op], self.target)}({code}{ax})"

    def clip(self, code: str, top: str) -> str:
        """Positions held in 0..top (a domain's elements never read the clipped ones)."""
        return f"{self.lib}.clip({code}, 0, {top})"

    def arange(self, extent: str, axis: int, ndim: int) -> str:
        """The positions 0..extent-1 along one of `ndim` broadcast axes."""
        code = f"{self.lib}.arange({extent})"
        if ndim > 1:
            code += f".reshape({tuple(-1 if k == axis else 1 for k in range(ndim))})"
        return code


class NumpyDialect(Dialect):
    target = "numpy"
    lib = "np"

    def number(self, v: Val) -> str:
        return f"np.{self.inner[v.kind]}({v.code})"

    def einsum(self, spec: str, operands: list[str]) -> str:
        # optimize=True contracts pairwise through BLAS instead of one loop over every index
        opt = ", optimize=True" if len(operands) > 1 else ""
        return f'np.einsum("{spec}", {", ".join(operands)}{opt})'

    def output(self, ident: str, ctype: str, scalar: bool) -> str:
        dt = self.dtype(OUTPUT_DTYPE[ctype])      # astype wraps integers to the C width
        return f"np.asarray({ident}).astype({dt})" + ("[()]" if scalar else "")


class TorchDialect(Dialect):
    target = "torch"
    imports = "import torch"
    lib = "torch"
    axis = "dim"
    spelling = {"asarray": "torch.as_tensor(x, dtype=dtype)",
                "copy_value": "torch.as_tensor(value).to(dtype, copy=True)",
                "copy_buffer": "torch.as_tensor(buffer).to(dtype, copy=True)",
                "shape_of": "torch.as_tensor(buffer).shape", "put": "out.reshape(-1)[at] = value\n    return out",
                "places": "torch.tensordot(torch.tensor(strides), torch.stack(torch.meshgrid(\n"
                          "        *map(torch.arange, shape), indexing=\"ij\")), dims=1)"}

    @property
    def helpers(self) -> str:
        cdiv = '''
def _c_div(a, b):
    """Integer division as in C: the quotient is truncated toward zero. A zero divisor
    gives 0: C never divides by zero where it runs, but a where computes both branches."""
    a, b = torch.as_tensor(a), torch.as_tensor(b)
    q = torch.div(a, torch.where(b == 0, torch.ones_like(b), b), rounding_mode="trunc")
    return torch.where(b == 0, torch.zeros_like(q), q)
'''
        return cdiv + "\n\n" + _BUFFERS.replace("np.", "torch.").format(**self.spelling)

    def convert_input(self, ident: str, kind: str) -> str:
        return f"torch.as_tensor({ident}, dtype={self.dtype(self.inner[kind])})"

    def transpose(self, atom: str, perm: list[int]) -> str:
        if perm == [1, 0]:
            return f"{atom}.T"
        return f"{atom}.permute{tuple(perm)}"

    def cast(self, v: Val, kind: str) -> str:
        return f"{paren(v, ATOM)}.to({self.dtype(self.inner[kind])})"

    def float_operand(self, v: Val) -> str:
        return self.cast(v, "float") if v.array and v.kind == "int" else v.code

    def number(self, v: Val) -> str:
        return f"torch.tensor({v.code}, dtype={self.dtype(self.inner[v.kind])})"

    def call(self, func: str, args: list[Val], kind: str) -> str:
        conv = []
        for a in args:
            if not a.array:     # torch functions want tensors, of the float type for a float result
                code = self.number(Val(a.code, (), kind if kind == "float" else a.kind))
            else:
                code = self.float_operand(a) if kind == "float" else a.code
            conv.append(Val(code, a.vars, kind))
        return super().call(func, conv, kind)

    def output(self, ident: str, ctype: str, scalar: bool) -> str:
        return f"{ident}.to({self.dtype(OUTPUT_DTYPE[ctype])}, copy=True)"

    def clip(self, code: str, top: str) -> str:
        return f"torch.clamp({code}, 0, {top})"

    def reduce(self, op: str, code: str, axes: list[int]) -> str:
        if op in ("sum", "max", "min") and axes:
            name = ops.REDUCTIONS[op].torch
            return f"torch.{name}({code}, dim={axes[0] if len(axes) == 1 else tuple(axes)})"
        if op in ("max", "min", "sum"):
            return f"torch.{op}({code})"
        if not axes:
            return f"torch.prod({code})"
        for a in sorted(axes, reverse=True):      # torch.prod takes one dimension at a time
            code = f"torch.prod({code}, dim={a})"
        return code


class JaxDialect(Dialect):
    target = "jax"
    lib = "jnp"

    def imports_for(self, body: str) -> str:
        text = "import jax\nimport jax.numpy as jnp"
        if re.search(r"\bjnp\.u?(int|float)64\b", body):
            text += '\n\njax.config.update("jax_enable_x64", True)   # the C computes in 64 bits'
        return text

    spelling = {"asarray": "jnp.asarray(x, dtype=dtype)", "copy_value": "jnp.array(value, dtype=dtype)",
                "copy_buffer": "jnp.array(buffer, dtype=dtype)", "shape_of": "jnp.shape(buffer)",
                "put": "return out.reshape(-1).at[at].set(value).reshape(out.shape)",
                "places": "jnp.tensordot(jnp.asarray(strides), jnp.indices(shape), axes=1)"}


DIALECTS = {cls.target: cls for cls in (NumpyDialect, TorchDialect, JaxDialect)}


def emit_array_code(target: str, program, sig, case_sigs=None) -> str:
    """A Python module for `target`. A guarded program (`case_sigs`: each case's signature)
    becomes one function whose `if`/`elif` on the flags picks the case."""
    if isinstance(program, Guarded):
        plans = [make_plan(p, s) for (_, p), s in zip(program.cases, case_sigs or [sig] * len(program.cases))]
        conds = [str(c) for c, _ in program.cases]
    else:
        plans, conds = [make_plan(program, sig)], [None]
    wide = {k: max(p.inner[k] for p in plans) for k in ("int", "float")}   # "...64" > "...32"
    d = DIALECTS[target](wide)
    gens = [_Generator(d, plan) for plan in plans]
    # cases that read and write different arrays (a node's forward and backward pass) take
    # them all, and return every output (an array a case leaves alone, as it was given)
    first = make_plan(Program(program.statements), sig) if isinstance(program, Guarded) else plans[0]
    outputs = [first.info(n) for n in sig.outputs] if isinstance(program, Guarded) else None
    cases = list(zip(conds, plans)) if conds[0] is not None else []
    lines = []
    for k, (gen, cond) in enumerate(zip(gens, conds)):
        if cond is None:
            lines += gen.body("    ")
        else:
            lines.append(f"    {'if' if k == 0 else 'elif'} {gen.python_condition(cond)}:")
            lines += gen.body("        ", outputs)
    if conds[0] is not None:
        lines.append('    raise ValueError("no case of the program holds")')
    body = "\n".join(lines)
    lines = [f"def {first.function}({signature_code(first, body)}):",
             f'    """{_Generator(d, first).docstring(program, body, cases)}"""', body]
    helpers = needed_helpers(d.helpers, body)
    imports = ("import math\n" if "math." in "".join(helpers) else "") + d.imports_for(body)
    head = f'''"""{sig.title}, lifted from C by tensorlift ({target} back end)."""\n{imports}'''
    return "\n\n\n".join([head, *helpers, "\n".join(lines)]) + "\n"


def needed_helpers(helpers: str, code: str) -> list[str]:
    """The helper functions (`helpers`: their definitions, apart by blank lines) that `code`
    calls, and those they call, in the order they are defined."""
    defs = {m.group(1): block.strip("\n") for block in re.split(r"\n\n\n+", helpers)
            if (m := re.search(r"^def (\w+)\(", block.strip("\n"), re.M))}
    needed, todo = set(), set(re.findall(r"\b(_\w+)\(", code))
    while todo:
        name = todo.pop()
        if name in defs and name not in needed:
            needed.add(name)
            todo |= set(re.findall(r"\b(_\w+)\(", defs[name]))
    return [text for name, text in defs.items() if name in needed]


class _Generator:
    def __init__(self, d: Dialect, plan: Plan):
        self.d = d
        self.plan = plan
        self.st: Optional[StatementPlan] = None
        self.letters: dict[str, str] = {}

    # ------------------------------------------------------------------ function

    def body(self, indent: str, outputs=None) -> list[str]:
        """The function's body for one program: inputs converted, statements, return (of
        `outputs`, when given: those the program does not compute, as they came)."""
        plan, sig, d = self.plan, self.plan.sig, self.d
        lines = [f"{indent}{plan.buffers[t.name]} = {t.ident}" for t in plan.outputs if t.role == "param"]
        for t in (plan.info(p.name) for p in sig.call_params):
            if t.name in plan.reads:
                shape = shape_code(plan, t) if t.param is not None and t.param.kind == "array" else None
                code = d.convert_input(t.ident, t.kind) if shape is None else \
                    d.from_c(t.ident, shape, t.kind, shape_code(plan, t, strides=True))
                lines.append(f"{indent}{t.ident} = {code}")
        computed = []
        for sp in plan.statements:
            self.st = sp
            self.letters = _letters(sp.var_order)
            computed.append(f"{indent}# {sp.statement}")
            computed.append(f"{indent}{sp.lhs.ident} = {self._statement(sp)}")
        code = "\n".join(computed)
        for size, (array, depth) in size_sources(plan).items():   # a C++ vector's size, where used
            if re.search(rf"\b{plan.info(size).ident}\b", code):
                n = d.convert_input(f"len({plan.info(array).ident}{'[0]' * depth})", "int")
                lines.append(f"{indent}{plan.info(size).ident} = {n}")
        lines += computed
        own = {t.name for t in plan.outputs}
        outs = [(d.to_c(t.ident, plan.buffers[t.name], t.ctype, shape_code(plan, t, strides=True))
                 if t.role == "param" else d.output(t.ident, t.ctype, t.role == "return" and not t.order))
                if t.name in own else t.ident
                for t in (outputs if outputs is not None else plan.outputs)]
        lines.append(f"{indent}return {', '.join(outs)}")
        return lines

    def python_condition(self, cond: str) -> str:
        """A condition on flags in Python: the flags' names as the function's parameters."""
        return re.sub(r"[A-Za-z_][\w.]*(?:\[\d+\])?",
                      lambda m: self.plan.info(m.group()).ident if m.group() in self.plan.tensors else m.group(),
                      cond)

    def docstring(self, program, body: str, cases=()) -> str:
        plan = self.plan
        taco = "\n".join(f"        {line}" for line in str(program).split("\n")) if isinstance(program, Guarded) \
            else "\n".join(f"        {s}" for s in plan.program.statements)
        outs = []
        for t in plan.outputs:
            shape = doc_shape(plan, t.param.shape) if t.role != "return" else \
                doc_shape(plan, plan.sig.returns_shape) if t.order else ""
            what = "returned value" if t.role == "return" else t.param.access
            outs.append(f"{t.ident} ({OUTPUT_DTYPE[t.ctype]}{shape}, {what})")
        note = ["    (Array shapes are the first case's; each case's are in its branch.)"] \
            if isinstance(program, Guarded) else []
        doc = [f"TACO index notation:\n\n{taco}\n", parameter_doc(plan, OUTPUT_DTYPE, body, cases), *note,
               f"    Returns {', '.join(outs)}" + ("" if len(outs) == 1 else " as a tuple") + ".",
               "    Arguments are never modified.\n    "]
        return "\n".join(doc)

    # ------------------------------------------------------------------ statements

    def _statement(self, sp: StatementPlan) -> str:
        d = self.d
        target = tuple(sp.statement.lhs.indices)
        rhs = self._gen(sp.root)
        if sp.accumulates:
            old = Val(sp.lhs.ident, target, sp.old_kind)
            kind = sp.value_kind
            right = self._align(rhs, target)
            code = f"{self._operand(old, kind, ADD)} + {self._operand(right, kind, MUL)}"
            v = Val(code, target, kind, ADD)
        else:
            v = self._align(rhs, target)
            if not v.array:
                v = Val(d.number(v), (), v.kind)
            if sp.broadcast:
                v = Val(d.broadcast_to(v, f"{sp.lhs.ident}.shape"), target, v.kind)
        if sp.domain is not None:              # elsewhere the output keeps its value
            mask = self._align(self._gen(sp.domain), target)
            v = Val(f"{d.lib}.where({self._truth(mask)}, {self._operand(v, v.kind, 0)}, {sp.lhs.ident})",
                    target, promote(v.kind, sp.old_kind))
        if v.kind != sp.new_kind:
            v = Val(d.cast(v, sp.new_kind), v.vars, sp.new_kind)
        return v.code

    # ------------------------------------------------------------------ expressions

    def _gen(self, n: Node) -> Val:
        e, d = n.expr, self.d
        if isinstance(e, Const):
            return _number(e.value)
        if isinstance(e, Access) and is_index_value(e, self.st.statement.lhs):
            return Val(d.arange(self._extent(e.name), 0, 1), (e.name,), "int")   # a domain's index
        if isinstance(e, Access) and not all(isinstance(i, str) for i in e.indices):
            return self._reduce(self._gather(e, n), n)
        if isinstance(e, Access):
            if len(set(e.indices)) != len(e.indices):       # a diagonal
                spec = self._spec([e.indices], n.free)
                return Val(d.einsum(spec, [self._load(e, n.kind).code]), n.free, n.kind)
            return self._reduce(self._load(e, n.kind), n)
        if isinstance(e, Neg):
            v = self._gen(n.children[0])
            return self._reduce(Val(f"-{self._operand(v, n.kind, UNARY)}", v.vars, n.kind, UNARY, v.array), n)
        if isinstance(e, Not):
            v = self._gen(n.children[0])
            return self._reduce(Val(f"~{self._truth(v)}", v.vars, "bool", UNARY), n)
        if isinstance(e, BinOp) and e.op == "*":
            return self._product(n)
        if isinstance(e, BinOp):
            left, right = (self._gen(c) for c in n.children)
            target = self._union(left, right)
            left, right = self._align(left, target), self._align(right, target)
            if e.op in ops.COMPARISONS:
                kind = promote(left.kind, right.kind)
                v = Val(f"({self._operand(left, kind, ADD)} {e.op} {self._operand(right, kind, ADD)})",
                        target, "bool", ATOM, left.array or right.array)
                return self._reduce(v, n)
            if e.op in ops.LOGICAL:
                op = "&" if e.op == "&&" else "|"
                return self._reduce(Val(f"({self._truth(left)} {op} {self._truth(right)})", target, "bool"), n)
            if e.op == "/" and n.kind == "int":
                return self._reduce(Val(f"_c_div({self._operand(left, 'int', 0)}, "
                                        f"{self._operand(right, 'int', 0)})", target, "int"), n)
            elif e.op == "/":
                v = Val(f"{self._operand(left, 'float', MUL)} / "
                        f"{self._operand(right, 'float', UNARY)}", target, "float", MUL)
            else:
                v = Val(f"{self._operand(left, n.kind, ADD)} {e.op} "
                        f"{self._operand(right, n.kind, MUL)}", target, n.kind, ADD)
            v.array = left.array or right.array
            return self._reduce(v, n)
        if isinstance(e, Call) and e.func == "where":
            c, a, b = (self._gen(x) for x in n.children)
            target = self._union(c, a, b)
            c, a, b = (self._align(x, target) for x in (c, a, b))
            a, b = (x if x.array else Val(d.number(Val(x.code, (), n.kind)), (), n.kind) for x in (a, b))
            code = f"{d.lib}.where({self._truth(c)}, {self._operand(a, n.kind, 0)}, {self._operand(b, n.kind, 0)})"
            return self._reduce(Val(code, target, n.kind), n)
        if isinstance(e, Call):
            args = [self._gen(c) for c in n.children]
            target = self._union(*args)
            args = [self._align(a, target) for a in args]
            if n.kind == "float" or any(a.kind == "bool" for a in args):
                args = [Val(self._operand(a, n.kind, 0), a.vars, n.kind, ATOM, a.array) for a in args]
            return self._reduce(Val(self.d.call(e.func, args, n.kind), target, n.kind), n)
        if isinstance(e, Reduce):
            v = self._gen(n.children[0])
            if not n.reduce:
                return v
            axes = [v.vars.index(x) for x in n.reduce]
            rest = tuple(x for x in v.vars if x not in n.reduce)
            code = self._operand(v, n.kind, 0)
            return Val(d.reduce(e.op, code, axes if rest else []), rest, n.kind)
        raise TensorliftError(f"unsupported expression {e!r}")

    def _load(self, e: Access, kind: str) -> Val:
        """A plain access: the array, cut to the left side's extents where its shape is
        larger (`b(i) = a(i)` with b of n-1 elements and a of n reads `a[:n - 1]`)."""
        t = self.plan.info(e.name)
        cuts = [self._cut(t, axis, v) for axis, v in enumerate(e.indices)]
        while cuts and cuts[-1] == ":":
            cuts.pop()
        code = f"{t.ident}[{', '.join(cuts)}]" if cuts else t.ident
        return Val(code, tuple(e.indices), kind)

    def _cut(self, t: TensorInfo, axis: int, var: str) -> str:
        lhs = self.st.statement.lhs
        if var not in lhs.indices or t is self.st.lhs:
            return ":"
        mine, theirs = _shape_exprs(self.plan, t), _shape_exprs(self.plan, self.st.lhs)
        if mine is None or theirs is None:
            return ":"
        if mine[axis].replace(" ", "") == theirs[lhs.indices.index(var)].replace(" ", ""):
            return ":"
        return f":{self._extent(var)}"

    def _gather(self, e: Access, n: Node) -> Val:
        """An access with index expressions: NumPy-style indexing by broadcast position grids
        (a window `x(i+k)` is `x[i[:, None] + k[None, :]]`), one axis per variable. Under a
        domain, positions are clipped into the array: the elements that would leave it are
        outside the domain (the evaluator checks so), and are computed but never stored."""
        names = tuple(v for v in self.st.var_order if v in n.free or v in n.reduce)
        ident = self.plan.info(e.name).ident
        idx = [self._index(i, names) for i in e.indices]
        if self.st.domain is not None:     # (an index on no variable is in range or never)
            idx = [c if isinstance(i, str) or not set(index_names(i)) & set(names)
                   else self.d.clip(c, f"{ident}.shape[{k}] - 1") for k, (i, c) in enumerate(zip(e.indices, idx))]
        return Val(f"{ident}[{', '.join(idx)}]", names, n.kind)

    def _index(self, i, names) -> str:
        if isinstance(i, str) or (isinstance(i, Access) and not i.indices):
            v = i if isinstance(i, str) else i.name
            if v in names:
                return self.d.arange(self._extent(v), names.index(v), len(names))
            return self.plan.info(v).ident         # a size
        if isinstance(i, Const):
            return str(i.value)
        if isinstance(i, Neg):
            return f"(-{self._index(i.operand, names)})"
        return f"({self._index(i.left, names)} {i.op} {self._index(i.right, names)})"

    def _extent(self, var: str) -> str:
        """The extent of an index variable at run time: the left side's, else that of an
        array it indexes plainly."""
        sp = self.st
        lhs = sp.statement.lhs
        if var in lhs.indices:
            axis = lhs.indices.index(var)
            # a write-only output's argument may be None or a flat buffer: its shape is read
            # only once the function holds its value (read in, or assigned before)
            held = sp.lhs.role != "param" or sp.lhs.name in self.plan.reads or \
                any(p.statement.lhs.name == lhs.name for p in self.plan.statements[:self.plan.statements.index(sp)])
            if sp.old_kind is not None and held:
                return f"{sp.lhs.ident}.shape[{axis}]"
            shape = _shape_exprs(self.plan, sp.lhs)
            if shape is not None:
                return shape[axis]
        for a in accesses(sp.statement.rhs):
            if var in a.indices and a.name in self.plan.tensors:
                return f"{self.plan.info(a.name).ident}.shape[{a.indices.index(var)}]"
        raise TensorliftError(f"in `{sp.statement}`: the extent of {var} is not known before the statement runs")

    def _truth(self, v: Val) -> str:
        """A condition as a boolean array."""
        return paren(v, ATOM) if v.kind == "bool" else f"({paren(v, ADD)} != 0)"

    def _product(self, n: Node) -> Val:
        factors: list[Node] = []
        summed: list[str] = []

        def walk(m: Node):
            if isinstance(m.expr, BinOp) and m.expr.op == "*":
                summed.extend(m.reduce)
                for c in m.children:
                    walk(c)
            else:
                factors.append(m)
        walk(n)
        kind = n.kind
        if not summed:
            # nothing summed across factors: an element-wise product (each factor sums or
            # takes diagonals of its own), lined up by broadcasting
            vals = [self._gen(f) for f in factors]
            pieces = [self._operand(self._align(v, n.free), kind, MUL if i == 0 else UNARY)
                      for i, v in enumerate(vals)]
            return Val(" * ".join(pieces), n.free, kind, MUL, any(v.array for v in vals))
        # a sum across factors: one einsum over the tensor factors, scalar factors in front
        scalars: list[Val] = []
        operands: list[tuple[str, tuple[str, ...]]] = []
        for f in factors:
            e = f.expr
            if isinstance(e, Access) and e.indices and all(isinstance(i, str) for i in e.indices):
                operands.append((self._operand(self._load(e, f.kind), kind, 0), tuple(e.indices)))
                continue
            v = self._gen(f)
            if v.vars:
                operands.append((self._operand(v, kind, 0), v.vars))
            else:
                scalars.append(v)
        spec = self._spec([ax for _, ax in operands], n.free)
        pieces = [self._operand(v, kind, MUL if i == 0 else UNARY) for i, v in enumerate(scalars)]
        pieces.append(self.d.einsum(spec, [code for code, _ in operands]))
        return Val(" * ".join(pieces), n.free, kind, MUL if scalars else ATOM)

    # ------------------------------------------------------------------ helpers

    def _operand(self, v: Val, kind: str, prec: int) -> str:
        """`v` as an operand of an operation of kind `kind` at precedence `prec`."""
        if v.kind == "bool" and v.array:         # a condition used as a number: 0 or 1
            return self.d.cast(v, "float" if kind == "float" else "int")
        if kind == "float" and v.kind == "int" and v.array:
            code = self.d.float_operand(v)
            if code != v.code:
                return code
        return paren(v, prec)

    def _reduce(self, v: Val, n: Node) -> Val:
        if not n.reduce:
            return v
        axes = [v.vars.index(x) for x in n.reduce]
        rest = tuple(x for x in v.vars if x not in n.reduce)
        return Val(self.d.sum(v.code, axes if rest else []), rest, v.kind)

    def _union(self, *vals: Val) -> tuple[str, ...]:
        have = {x for v in vals for x in v.vars}
        return tuple(x for x in self.st.var_order if x in have)

    def _align(self, v: Val, target: tuple[str, ...]) -> Val:
        """`v` with its axes permuted and padded (size-1 axes) to broadcast against `target`."""
        if v.vars == target or not v.vars:
            return v
        ordered = tuple(sorted(v.vars, key=target.index))
        if ordered != v.vars:
            perm = [v.vars.index(x) for x in ordered]
            v = Val(self.d.transpose(paren(v, ATOM), perm), ordered, v.kind)
        idx = [":" if x in ordered else "None" for x in target]
        while idx and idx[0] == "None":
            idx.pop(0)
        while idx and idx[-1] == ":":
            idx.pop()
        if idx:
            v = Val(f"{paren(v, ATOM)}[{', '.join(idx)}]", target, v.kind)
        return Val(v.code, target, v.kind, v.prec)

    def _spec(self, inputs, output) -> str:
        L = self.letters
        return ",".join("".join(L[x] for x in ax) for ax in inputs) + "->" + \
            "".join(L[x] for x in output)


def _shape_exprs(plan: Plan, t: TensorInfo) -> Optional[list[str]]:
    """An output's extents from its C shape, in the function's own size arguments."""
    shape = t.param.shape if t.param is not None else plan.sig.returns_shape if t.role == "return" else None
    sizes = {p.name for p in plan.sig.params if p.kind == "scalar"}
    return shape_exprs(plan, shape, sizes.__contains__)


def _letters(order) -> dict[str, str]:
    """einsum letters for index variables: the variable itself when it is one letter."""
    pool = "ijklmnopqrstuvwxyzabcdefghABCDEFGHIJKLMNOPQRSTUVWXYZ"
    out: dict[str, str] = {}
    for x in order:
        if len(x) == 1 and x.isascii() and x.isalpha() and x not in out.values():
            out[x] = x
    free = [c for c in pool if c not in out.values()]
    for x in order:
        if x not in out:
            if not free:
                raise TensorliftError("too many index variables in one statement for einsum")
            out[x] = free.pop(0)
    return out


def _number(value) -> Val:
    kind = "int" if isinstance(value, int) else "float"
    if isinstance(value, float) and (value != value or value in (float("inf"), float("-inf"))):
        return Val(f'float("{value}")', (), kind, ATOM, False)
    code = repr(value)
    return Val(code, (), kind, UNARY if code.startswith("-") else ATOM, False)

