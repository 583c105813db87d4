"""The `tensora` target: a Python module that runs each statement through tensora
(`tensora.evaluate`, which compiles index notation to machine code) on dense tensors.

tensora 0.6 reads `name(i,j)` accesses (a scalar is `alpha()`), `+ - *`, non-negative
number literals and parentheses, one assignment `out(...) = expr` at a time; it computes in
double; it places sums as TACO does. What it lacks is rewritten into what it has:

- `out(i) += X`            -> `out(i) = outold(i) + (X)`, the old value passed under another name
- `a(i) = a(i) * s`        -> the right side reads the old `a` under another name
- `-X`, negative constants -> `(0 - X)`
- `X / c` (c a constant, float result) -> `X * (1/c)`
- `B(i,i)` (diagonal)      -> `(B(i,j) * delta(i,j))`, delta an identity matrix
- `y(i,j) = x(i)` (left-side variable absent on the right, which tensora refuses)
                           -> `y(i,j) = (x(i)) * ones(j)`
- names such as `a.vals`   -> `avals` (tensora takes letters and digits only)

Division by a tensor, integer division, and min/max/abs/exp/sqrt have no equivalent:
emitting them raises TensorliftError naming the construct. Integer tensors are computed in
double, which is exact while values stay below 2**53, and truncated toward zero whenever
a statement assigns a float value to an int tensor; outputs are returned as NumPy arrays of
the C type.
"""
from __future__ import annotations

import math

from ..errors import TensorliftError
from ..ir import Access, BinOp, Call, Const, Expr, Neg, Program, accesses
from ..signature import Signature
from ._arrays import OUTPUT_DTYPE
from ._names import Namer, tensora_ident
from ._plan import Node, StatementPlan, make_plan

_HELPER = '''
def _evaluate(assignment, order, tensors):
    """Evaluate one dense index-notation assignment with tensora (which computes in double)."""
    inputs = {name: tensora.Tensor.from_numpy(np.asarray(value, dtype=np.float64))
              for name, value in tensors.items()}
    result = tensora.evaluate(assignment, "d" * order, **inputs)
    return result.to_numpy() if order else np.float64(float(result))
'''


def emit_tensora(program: Program, sig: Signature) -> str:
    plan = make_plan(program, sig)
    names = Namer(clean=tensora_ident, reserved=(), sep="")
    for t in plan.tensors.values():
        names(t.name)
    lines = [f"def {plan.function}({', '.join(plan.info(p.name).ident for p in sig.params)}):",
             '    """TACO index notation:\n\n'
             + "".join(f"        {s}\n" for s in program.statements)
             + "\n    Takes the C parameters in C order; returns "
             + ", ".join(f"{t.ident} ({OUTPUT_DTYPE[t.ctype]})" for t in plan.outputs)
             + " as NumPy values.\n    Arguments are never modified.\n    \"\"\""]
    for sp in plan.statements:
        lines.append(f"    # {sp.statement}")
        lines += _statement(sp, plan, names)
    outs = []
    for t in plan.outputs:
        dt = f"np.{OUTPUT_DTYPE[t.ctype]}"
        outs.append(f"{dt}({t.ident})" if t.role == "return" else f"np.array({t.ident}, dtype={dt})")
    lines.append(f"    return {', '.join(outs)}")
    return "\n\n\n".join([f'"""{sig.function}, lifted from C by tensorlift (tensora back end)."""'
                          "\nimport numpy as np\nimport tensora", _HELPER.strip("\n"),
                          "\n".join(lines)]) + "\n"


def _statement(sp: StatementPlan, plan, names: Namer) -> list[str]:
    st = sp.statement
    where = f"`{st}`"
    tensors: dict[str, str] = {}          # tensora name -> Python expression
    target_name = names(st.lhs.name)
    # names made for this statement only (the old value, helper tensors, index variables)
    local = Namer(clean=tensora_ident, reserved=names.taken(), sep="")
    old_name = None

    def tname(name: str) -> str:
        nonlocal old_name
        if name == st.lhs.name:            # tensora forbids the target on the right
            if old_name is None:
                old_name = local.fresh(name + "old")
                tensors[old_name] = plan.info(name).ident
            return old_name
        n = names(name)
        tensors[n] = plan.info(name).ident
        return n

    # index variables: letters and digits, distinct from the tensors of this statement
    # (tensora rejects an index named like a tensor)
    taken = {names(a.name) for a in [st.lhs, *accesses(st.rhs)]}
    var_names: dict[str, str] = {}
    for v in sp.var_order:
        base = tensora_ident(v)
        cand, k = base, 2
        while cand in taken:
            cand, k = f"{base}{k}", k + 1
        taken.add(cand)
        local.reserve(cand)
        var_names[v] = cand

    def fresh_var() -> str:
        return local.fresh("j")

    def extra(base: str, code: str) -> str:
        n = local.fresh(base)
        tensors[n] = code
        return n

    def show(e: Expr, n: Node, prec: int) -> str:
        """tensora text for `e` at a position needing precedence `prec` (1 sum, 2 product)."""
        if isinstance(e, Const):
            return _literal(e.value, where, prec)
        if isinstance(e, Access):
            name = tname(e.name)
            idx = [var_names[v] for v in e.indices]
            if len(set(idx)) == len(idx):
                return f"{name}({','.join(idx)})"
            # diagonal: B(i,i) -> (B(i,j) * delta(i,j)); the fresh j is summed right there
            first: dict[str, int] = {}
            new_idx, deltas = [], []
            src = plan.info(e.name).ident
            for axis, v in enumerate(idx):
                if v in first:
                    j = fresh_var()
                    d = extra("delta", f"np.eye({src}.shape[{first[v]}], {src}.shape[{axis}])")
                    deltas.append(f"{d}({v},{j})")
                    new_idx.append(j)
                else:
                    first[v] = axis
                    new_idx.append(v)
            return f"({name}({','.join(new_idx)}) * {' * '.join(deltas)})"
        if isinstance(e, Neg):
            return f"(0 - {show(e.operand, n.children[0], 2)})"
        if isinstance(e, BinOp):
            l, r = n.children
            if e.op == "/":
                c = _const_value(e.right)
                if c is None or n.kind != "float":
                    what = "integer division" if n.kind == "int" else "division by a tensor"
                    raise TensorliftError(f"target tensora cannot express {what} ({e}) in {where}")
                if c == 0 or not math.isfinite(1 / c):
                    raise TensorliftError(f"target tensora cannot express division by {c} in {where}")
                text = f"{show(e.left, l, 2)} * {_literal(1 / c, where, 2)}"
                return f"({text})" if prec > 2 else text
            if e.op == "*":
                text = f"{show(e.left, l, 2)} * {show(e.right, r, 3)}"
                return f"({text})" if prec > 2 else text
            text = f"{show(e.left, l, 1)} {e.op} {show(e.right, r, 2)}"
            return f"({text})" if prec > 1 else text
        if isinstance(e, Call):
            raise TensorliftError(f"target tensora cannot express {e.func}() in {where}")
        raise TensorliftError(f"target tensora cannot express {e!r} in {where}")

    if sp.accumulates:
        # `+=` onto the old value; parentheses keep the right side's sums inside it
        old = tname(st.lhs.name)
        rhs = f"{old}({','.join(var_names[v] for v in st.lhs.indices)}) + {show(st.rhs, sp.root, 2)}"
    elif sp.broadcast:
        # tensora refuses a left-side variable absent on the right: multiply by ones
        axes = [st.lhs.indices.index(v) for v in sp.broadcast]
        shape = ", ".join(f"{sp.lhs.ident}.shape[{a}]" for a in axes)
        ones = extra("ones", f"np.ones(({shape},))")
        rhs = (f"{show(st.rhs, sp.root, 2)} * "
               f"{ones}({','.join(var_names[v] for v in sp.broadcast)})")
    else:
        rhs = show(st.rhs, sp.root, 1)
    assignment = f"{target_name}({','.join(var_names[v] for v in st.lhs.indices)}) = {rhs}"
    args = ", ".join(f'"{k}": {v}' for k, v in tensors.items())
    call = f'_evaluate("{assignment}", {len(st.lhs.indices)}, {{{args}}})'
    if sp.new_kind == "int" and sp.value_kind == "float":
        call = f"np.trunc({call})"          # C converts a float to int toward zero
    return [f"    {sp.lhs.ident} = {call}"]


def _const_value(e: Expr):
    if isinstance(e, Const):
        return e.value
    if isinstance(e, Neg):
        v = _const_value(e.operand)
        return None if v is None else -v
    return None


def _literal(value, where: str, prec: int) -> str:
    if isinstance(value, float) and not math.isfinite(value):
        raise TensorliftError(f"target tensora cannot express the constant {value} in {where}")
    text = repr(abs(value)) if isinstance(value, float) else str(abs(value))
    if value < 0 or (isinstance(value, float) and math.copysign(1, value) < 0):
        return f"(0 - {text})"
    return text
