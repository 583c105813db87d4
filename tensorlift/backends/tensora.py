"""The `tensora` target: a Python module that runs each statement through tensora
(`tensora.evaluate`, which compiles index notation to machine code) on dense tensors.

tensora 0.6 reads `name(i,j)` accesses (a scalar is `alpha()`), `+ - *`, non-negative
number literals and parentheses, one assignment `out(...) = expr` at a time, and computes
in double. What it lacks is rewritten into what it has:

- `out(i) += X`            -> `out(i) = outold(i) + X`, the old value passed under another name
- `a(i) = a(i) * s`        -> the right side reads the old `a` under another name
- `-X`, negative constants -> `(0 - X)`
- `X / c` (c a constant, float result) -> `X * (1/c)`
- `B(i,i)` (diagonal)      -> `B(i,j) * delta(i,j)`, delta an identity matrix
- `y(i,j) = x(i)` (left-side variable absent on the right, which tensora refuses)
                           -> `y(i,j) = x(i) * ones(j)`
- names such as `a.vals`   -> `avals` (tensora takes letters and digits only)

Sums: tensora finds no kernel for a sum nested inside a sum inside a product
(`s() * (A(i,j) + 1)`), and a sum placed at a `+` adds the terms that lack the summed
variable once instead of once per value (`x(i)*z(k) + b(k) + C(i,k)` summed over i).
So a statement is split: a sum that sits on a product of accesses (or on one access) stays
inline in that product, which tensora handles; any other subexpression carrying a sum is
evaluated first into a temporary, and a sum placed at `+ - /` or a function is evaluated
element-wise with the summed variable kept, then summed in a second call
(`t2(i) = t1(i,j)`).

Division by a tensor, integer division, and min/max/abs/exp/sqrt have no equivalent:
emitting them raises TensorliftError naming the construct. Integer tensors are computed in
double, which is exact while values stay below 2**53, and truncated toward zero whenever
a statement assigns a float value to an int tensor; outputs are returned as NumPy values of
the C type.
"""
from __future__ import annotations

import math

from ..errors import TensorliftError
from ..taco.ir import Access, BinOp, Call, Const, Expr, Guarded, Neg, Program, accesses
from ..signature import Signature
from .arrays import OUTPUT_DTYPE, NumpyDialect, needed_helpers
from .names import PYTHON_RESERVED, Namer, tensora_ident
from .plan import Node, StatementPlan, make_plan, parameter_doc, shape_code, signature_code

_HELPER = '''
def _evaluate(assignment, order, tensors):
    """Evaluate one dense index-notation assignment with tensora (which computes in double)."""
    inputs = {name: tensora.Tensor.from_numpy(np.asarray(value, dtype=np.float64))
              for name, value in tensors.items()}
    result = tensora.evaluate(assignment, "d" * order, **inputs)
    return result.to_numpy() if order else np.float64(float(result))
'''


def emit_tensora(program: Program, sig: Signature) -> str:
    if isinstance(program, Guarded):
        raise TensorliftError("target tensora cannot express one program per case of the flags "
                              "(if/elif); use numpy, torch, jax or taco")
    plan = make_plan(program, sig)
    # "assignment" is a parameter of tensora.evaluate, which takes tensors as keywords
    names = Namer(clean=tensora_ident, reserved={"assignment"}, sep="")
    for t in plan.tensors.values():
        names(t.name)
    np_ = NumpyDialect({"int": "float64", "float": "float64"})   # tensora computes in double
    lines = [f"    {plan.buffers[t.name]} = {t.ident}" for t in plan.outputs if t.role == "param"]
    for p in sig.call_params:
        t = plan.info(p.name)
        shape = shape_code(plan, t) if p.kind == "array" and p.name in plan.reads else None
        if shape is not None:
            lines.append(f"    {t.ident} = {np_.from_c(t.ident, shape, 'float', shape_code(plan, t, strides=True))}")
    pynames = Namer(reserved=PYTHON_RESERVED | {t.ident for t in plan.tensors.values()} | set(plan.buffers.values()))
    for sp in plan.statements:
        lines.append(f"    # {sp.statement}")
        lines += _statement(sp, plan, names, pynames)
    outs = []
    for t in plan.outputs:
        if t.role == "param":
            outs.append(np_.to_c(t.ident, plan.buffers[t.name], t.ctype, shape_code(plan, t, strides=True)))
        else:
            outs.append(np_.output(t.ident, t.ctype, not t.order))
    lines.append(f"    return {', '.join(outs)}")
    body = "\n".join(lines)
    head = [f"def {plan.function}({signature_code(plan, body)}):",
            '    """TACO index notation:\n\n'
            + "".join(f"        {s}\n" for s in program.statements) + "\n"
            + parameter_doc(plan, OUTPUT_DTYPE, body) + "\n    Returns "
            + ", ".join(f"{t.ident} ({OUTPUT_DTYPE[t.ctype]})" for t in plan.outputs)
            + " as NumPy values.\n    Arguments are never modified.\n    \"\"\""]
    helpers = needed_helpers(np_.helpers, body)
    imports = ("import math\n" if "math." in "".join(helpers) else "") + "import numpy as np\nimport tensora"
    return "\n\n\n".join([f'"""{sig.title}, lifted from C by tensorlift (tensora back end)."""\n{imports}',
                          _HELPER.strip("\n"), *helpers, "\n".join(head + [body])]) + "\n"


def _statement(sp: StatementPlan, plan, names: Namer, pynames: Namer) -> list[str]:
    return _StatementWriter(sp, plan, names, pynames).write()


class _StatementWriter:
    """Writes the `_evaluate` calls of one statement (see the module doc for the splitting)."""

    def __init__(self, sp: StatementPlan, plan, names: Namer, pynames: Namer):
        self.sp, self.plan, self.names, self.pynames = sp, plan, names, pynames
        self.st = sp.statement
        self.where = f"`{self.st}`"
        self.lines: list[str] = []
        self.frames: list[dict[str, str]] = []   # inputs of the evaluations being written
        self.old_name = None
        # names made for this statement only: the old value, temporaries, helper tensors,
        # fresh index variables
        self.local = Namer(clean=tensora_ident, reserved=names.taken(), sep="")
        # index variables: letters and digits, distinct from the tensors of this statement
        # (tensora rejects an index named like a tensor)
        taken = {names(a.name) for a in [self.st.lhs, *accesses(self.st.rhs)]}
        self.var_names: dict[str, str] = {}
        for v in sp.var_order:
            base = tensora_ident(v)
            cand, k = base, 2
            while cand in taken:
                cand, k = f"{base}{k}", k + 1
            taken.add(cand)
            self.local.reserve(cand)
            self.var_names[v] = cand

    # ------------------------------------------------------------------ the statement

    def write(self) -> list[str]:
        sp, st, root = self.sp, self.st, self.sp.root
        lhs_vars = ",".join(self.var_names[v] for v in st.lhs.indices)
        self.frames.append({})                  # the statement's own evaluation
        wrapped = sp.accumulates or sp.broadcast
        if _product_like(root):
            rhs = self.inner(root, 2 if wrapped else 1)
        elif root.reduce and wrapped:
            rhs = self.hoist(root)
        elif root.reduce:
            rhs = self.elementwise(root)        # summed by this final evaluation
        else:
            rhs = self.inner(root, 2 if wrapped else 1)
        if sp.accumulates:
            rhs = f"{self.tensor(st.lhs.name)}({lhs_vars}) + {rhs}"
        elif sp.broadcast:
            axes = [st.lhs.indices.index(v) for v in sp.broadcast]
            shape = ", ".join(f"{sp.lhs.ident}.shape[{a}]" for a in axes)
            ones = self.helper("ones", f"np.ones(({shape},))")
            rhs = f"{rhs} * {ones}({','.join(self.var_names[v] for v in sp.broadcast)})"
        call = self.evaluate(f"{self.names(st.lhs.name)}({lhs_vars}) = {rhs}",
                             len(st.lhs.indices))
        if sp.new_kind == "int" and sp.value_kind == "float":
            call = f"np.trunc({call})"          # C converts a float to int toward zero
        self.lines.append(f"    {sp.lhs.ident} = {call}")
        return self.lines

    # ------------------------------------------------------------------ evaluations

    def evaluate(self, assignment: str, order: int) -> str:
        inputs = self.frames.pop()
        args = ", ".join(f'"{k}": {v}' for k, v in inputs.items())
        return f'_evaluate("{assignment}", {order}, {{{args}}})'

    def temporary(self, text: str, out_vars) -> str:
        """Evaluates `text` (written in a frame of its own) into a new temporary; returns
        the access to it for the enclosing evaluation."""
        name = self.local.fresh("t")
        ident = self.pynames.fresh("_" + name)
        idx = ",".join(self.var_names[v] for v in out_vars)
        call = self.evaluate(f"{name}({idx}) = {text}", len(out_vars))
        self.lines.append(f"    {ident} = {call}")
        self.frames[-1][name] = ident
        return f"{name}({idx})"

    def hoist(self, n: Node) -> str:
        """`n` (which carries a sum) evaluated on its own."""
        self.frames.append({})
        text = self.inner(n, 1) if _product_like(n) else self.elementwise(n)
        return self.temporary(text, n.free)

    def elementwise(self, n: Node) -> str:
        """`n` without its own sums, as a temporary over its free and summed variables."""
        keep = [v for v in self.sp.var_order if v in n.free or v in n.reduce]
        self.frames.append({})
        return self.temporary(self.inner(n, 1), keep)

    # ------------------------------------------------------------------ expressions

    def tensor(self, name: str) -> str:
        """The tensora name of a program tensor, registered as an input."""
        if name == self.st.lhs.name and len(self.frames) == 1:
            if self.old_name is None:        # tensora forbids the target on the right
                self.old_name = self.local.fresh(self.names(name) + "old")
            self.frames[-1][self.old_name] = self.plan.info(name).ident
            return self.old_name
        n = self.names(name)
        self.frames[-1][n] = self.plan.info(name).ident
        return n

    def helper(self, base: str, code: str) -> str:
        n = self.local.fresh(base)
        self.frames[-1][n] = code
        return n

    def render(self, n: Node, prec: int) -> str:
        """`n` as an operand: on its own first when it carries a sum."""
        if n.reduce or _product_like(n) and _carries_sum(n):
            return self.hoist(n)
        return self.inner(n, prec)

    def inner(self, n: Node, prec: int) -> str:
        """tensora text for `n` at a position needing precedence `prec` (1 sum, 2 product
        operand, 3 right operand of a product). The factors of a product stay inline."""
        e = n.expr
        if isinstance(e, Const):
            return _literal(e.value, self.where)
        if isinstance(e, Access):
            name = self.tensor(e.name)
            idx = [self.var_names[v] for v in e.indices]
            if len(set(idx)) == len(idx):
                return f"{name}({','.join(idx)})"
            # diagonal: B(i,i) -> B(i,j) * delta(i,j); the fresh j is summed in this product
            first: dict[str, int] = {}
            new_idx, deltas = [], []
            src = self.plan.info(e.name).ident
            for axis, v in enumerate(idx):
                if v in first:
                    j = self.local.fresh("j")
                    d = self.helper("delta", f"np.eye({src}.shape[{first[v]}], {src}.shape[{axis}])")
                    deltas.append(f"{d}({v},{j})")
                    new_idx.append(j)
                else:
                    first[v] = axis
                    new_idx.append(v)
            text = f"{name}({','.join(new_idx)}) * {' * '.join(deltas)}"
            return f"({text})" if prec > 2 else text
        if isinstance(e, Neg):
            return f"(0 - {self.render(n.children[0], 2)})"
        if isinstance(e, BinOp):
            l, r = n.children
            if e.op == "*":
                left = self.inner(l, 2) if _product_like(l) else self.render(l, 2)
                right = self.inner(r, 3) if _product_like(r) else self.render(r, 3)
                text = f"{left} * {right}"
                return f"({text})" if prec > 2 else text
            if e.op == "/":
                c = _const_value(e.right)
                if c is None or n.kind != "float":
                    what = "integer division" if n.kind == "int" else "division by a tensor"
                    raise TensorliftError(f"target tensora cannot express {what} ({e}) "
                                          f"in {self.where}")
                if c == 0 or not math.isfinite(1 / c):
                    raise TensorliftError(f"target tensora cannot express division by {c} "
                                          f"in {self.where}")
                text = f"{self.render(l, 2)} * {_literal(1 / c, self.where)}"
                return f"({text})" if prec > 2 else text
            text = f"{self.render(l, 1)} {e.op} {self.render(r, 2)}"
            return f"({text})" if prec > 1 else text
        if isinstance(e, Call):
            raise TensorliftError(f"target tensora cannot express {e.func}() in {self.where}")
        raise TensorliftError(f"target tensora cannot express {e!r} in {self.where}")


def _product_like(n: Node) -> bool:
    """An access or a product: tensora sums inside these correctly."""
    return isinstance(n.expr, Access) or isinstance(n.expr, BinOp) and n.expr.op == "*"


def _carries_sum(n: Node) -> bool:
    """A sum (or a diagonal, which becomes one) in `n` or in the accesses and products of
    its product chain."""
    if n.reduce or _is_diagonal(n):
        return True
    if isinstance(n.expr, BinOp) and n.expr.op == "*":
        return any(_carries_sum(c) for c in n.children if _product_like(c))
    return False


def _is_diagonal(n: Node) -> bool:
    return isinstance(n.expr, Access) and len(set(n.expr.indices)) != len(n.expr.indices)


def _const_value(e: Expr):
    if isinstance(e, Const):
        return e.value
    if isinstance(e, Neg):
        v = _const_value(e.operand)
        return None if v is None else -v
    return None


def _literal(value, where: str) -> str:
    if isinstance(value, float) and not math.isfinite(value):
        raise TensorliftError(f"target tensora cannot express the constant {value} in {where}")
    text = repr(abs(value)) if isinstance(value, float) else str(abs(value))
    if value < 0 or (isinstance(value, float) and math.copysign(1, value) < 0):
        return f"(0 - {text})"
    return text
