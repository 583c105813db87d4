"""What every back end needs to know about a program before it writes code.

`make_plan` checks a program against its signature (every tensor it reads exists and is
defined by then, accesses have the array's order, every output is assigned) and works out,
statement by statement:

- where each reduction happens: a variable on the right that is not on the left is summed
  at the smallest subexpression containing every use of it (TACO's rule);
- the number kind of every subexpression under C's rules: "int" or "float" (int op int is
  int, anything with a float is float; `exp`/`sqrt` give float; assigning a float to an int
  output truncates toward zero);
- which left-side variables broadcast (absent on the right) and so need a known extent.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Optional

from .. import carith
from ..errors import TensorliftError
from ..taco.ir import (ARITY, BINARY_OPS, COMPARISONS, FUNCTIONS, LOGICAL, Access, BinOp, Call, Const, Expr, Neg,
                       Not, Program, Reduce, Statement, accesses, index_names, is_index_value)
from ..taco.semantics import reduce_vars, reduction_homes, size_names
from ..taco.parse import NAME
from ..signature import Param, Signature
from .names import PYTHON_RESERVED, Namer

def kind_of_ctype(ctype: str, what: str) -> str:
    if carith.is_int(ctype):
        return "int"
    if carith.is_float(ctype):
        return "float"
    raise TensorliftError(f"{what} has C type {ctype!r}; the back ends support {', '.join(carith.DTYPES)}")


def promote(*kinds: str) -> str:
    return "float" if "float" in kinds else "int"


@dataclass
class TensorInfo:
    name: str                  # name in the program (the C name: `a.vals`)
    ident: str                 # Python identifier in emitted code (`a_vals`)
    order: int
    role: str                  # "param" | "return" | "temp"
    kind: str                  # "int" | "float" (a temporary takes the kind of its last value)
    ctype: Optional[str] = None  # C element type of a parameter or of the returned value
    param: Optional[Param] = None

    @property
    def fixed_kind(self) -> bool:
        return self.role != "temp"


@dataclass
class Node:
    """A subexpression with what the back ends need: its kind, the variables summed right
    here, and the variables still free after that (in the statement's variable order)."""
    expr: Expr
    children: tuple["Node", ...]
    kind: str                    # "int" | "float" | "bool" (a condition)
    reduce: tuple[str, ...]
    free: tuple[str, ...]


@dataclass
class StatementPlan:
    statement: Statement
    lhs: TensorInfo
    root: Node
    var_order: tuple[str, ...]   # left-side variables first, then the summed ones
    old_kind: Optional[str]      # kind of the left side before, None when it has no value yet
    new_kind: str                # kind of the left side after the statement
    value_kind: str              # kind of what is computed before conversion to new_kind
    broadcast: tuple[str, ...]   # left-side variables absent on the right
    domain: Optional[Node] = None   # the elements the statement covers (a "bool" value)

    @property
    def accumulates(self) -> bool:
        """`+=` onto an existing value (onto nothing it is a plain assignment)."""
        return self.statement.accumulate and self.old_kind is not None


@dataclass
class Plan:
    program: Program
    sig: Signature
    function: str                       # Python name of the emitted function
    tensors: dict[str, TensorInfo]      # by program name
    statements: list[StatementPlan]
    outputs: list[TensorInfo]           # sig.outputs order
    reads: set[str] = field(default_factory=set)   # parameters whose incoming value is used

    def info(self, name: str) -> TensorInfo:
        return self.tensors[name]


def make_plan(program: Program, sig: Signature, reserved=PYTHON_RESERVED) -> Plan:
    if not program.statements:
        raise TensorliftError("the program has no statements")
    namer = Namer(reserved=reserved)
    fn_namer = Namer(reserved=reserved)
    function = fn_namer(sig.function)
    tensors: dict[str, TensorInfo] = {}
    for p in sig.params:
        if p.name in tensors:
            raise TensorliftError(f"parameter {p.name} appears twice in the signature")
        kind = kind_of_ctype(p.dtype, f"parameter {p.name}")
        order = len(p.shape or []) if p.kind == "array" else 0
        tensors[p.name] = TensorInfo(p.name, namer(p.name), order, "param", kind, p.dtype, p)
    if sig.returns:
        if sig.function in tensors:
            raise TensorliftError(f"the returned value {sig.function} has the name of a parameter")
        tensors[sig.function] = TensorInfo(sig.function, namer(sig.function), len(sig.returns_shape or []), "return",
                                           kind_of_ctype(sig.returns, "the returned value"),
                                           sig.returns)

    defined = {p.name for p in sig.params}
    scalars = {p.name for p in sig.params if p.kind == "scalar"}
    kinds = {name: t.kind for name, t in tensors.items()}
    plans: list[StatementPlan] = []
    reads: set[str] = set()
    assigned: set[str] = set()

    assigned_somewhere = {s.lhs.name for s in program.statements}
    for st in program.statements:
        where = f"in `{st}`"
        for a in accesses(st.rhs):
            if is_index_value(a, st):
                continue
            t = tensors.get(a.name)
            if t is None or a.name not in defined:
                what = "read before it is assigned" if a.name in assigned_somewhere \
                    else "an unknown tensor"
                raise TensorliftError(f"{where}: {a.name} is {what}")
            _check_order(a, t, where)
            if t.role == "param" and a.name not in assigned:
                reads.add(a.name)
        lhs = st.lhs
        t = tensors.get(lhs.name)
        if t is None:
            t = tensors[lhs.name] = TensorInfo(lhs.name, namer(lhs.name), len(lhs.indices),
                                               "temp", "int")
        elif t.param is not None and t.param.kind != "array":
            raise TensorliftError(f"{where}: assigns the scalar parameter {lhs.name}")
        elif t.role == "return" and len(lhs.indices) != t.order:
            raise TensorliftError(f"{where}: the returned value {lhs.name} has order {t.order}")
        _check_order(lhs, t, where)
        if len(set(lhs.indices)) != len(lhs.indices):
            raise TensorliftError(f"{where}: assigning to a diagonal (repeated index on the "
                                  f"left) is not supported")

        exists = lhs.name in defined
        sizes = size_names(st.rhs, lhs.indices, scalars)
        rhs_vars: list[str] = []
        for a in accesses(st.rhs):
            for i in a.indices:
                for v in index_names(i):
                    if v in sizes:
                        reads.add(v)
                    elif v not in rhs_vars:
                        rhs_vars.append(v)
        var_order = tuple(lhs.indices) + tuple(v for v in rhs_vars if v not in lhs.indices)
        ctx = _Context(reduction_homes(st.rhs, lhs.indices, sizes), var_order, kinds, where,
                       frozenset(lhs.indices), sizes)
        root = _annotate(st.rhs, ctx)
        domain = None
        if st.domain is not None:
            domain = _annotate(st.domain, _Context({}, var_order, kinds, where, frozenset(lhs.indices),
                                                   sizes))
            reads.update(a.name for a in accesses(st.domain) if a.name in tensors)
            if not exists:
                raise TensorliftError(f"{where}: {lhs.name} has no value outside the statement's domain")
        broadcast = tuple(v for v in lhs.indices if v not in rhs_vars)
        if broadcast and not exists:
            raise TensorliftError(f"{where}: the extent of {', '.join(broadcast)} is unknown "
                                  f"({lhs.name} has no value yet and the right side does not "
                                  f"use {'it' if len(broadcast) == 1 else 'them'})")
        old_kind = kinds[lhs.name] if exists else None
        value_kind = promote(old_kind, root.kind) if st.accumulate and exists else root.kind
        new_kind = t.kind if t.fixed_kind else value_kind
        if t.role == "param" and (st.accumulate or broadcast) and lhs.name not in assigned:
            reads.add(lhs.name)
        if t.role == "param" and st.domain is not None and lhs.name not in assigned:
            reads.add(lhs.name)
        plans.append(StatementPlan(st, t, root, var_order, old_kind, new_kind, value_kind,
                                   broadcast, domain))
        kinds[lhs.name] = new_kind
        if not t.fixed_kind:
            t.kind = new_kind
        defined.add(lhs.name)
        assigned.add(lhs.name)

    outputs = []
    for name in sig.outputs:
        if name not in assigned:
            raise TensorliftError(f"the program never assigns the output {name}")
        outputs.append(tensors[name])
    return Plan(program, sig, function, tensors, plans, outputs, reads)


def _check_order(a: Access, t: TensorInfo, where: str) -> None:
    if t.param is not None and t.param.kind == "array" and t.param.shape is None:
        return      # shape unknown: nothing to check against
    if len(a.indices) != t.order:
        raise TensorliftError(f"{where}: {a} has {len(a.indices)} indices but {t.name} has "
                              f"order {t.order}")


@dataclass
class _Context:
    homes: dict                  # node id -> variables implicitly summed there
    order: tuple[str, ...]
    kinds: dict[str, str]
    where: str
    keep: frozenset              # the left side's variables
    sizes: frozenset             # names that are sizes in index expressions


_FLOAT_FUNCTIONS = ("exp", "sqrt", "log", "tanh", "pow", "floor", "ceil")


def _annotate(e: Expr, ctx: _Context) -> Node:
    """Kinds and reductions of every subexpression ("bool" for conditions)."""
    where = ctx.where
    own: set[str] = set()
    if isinstance(e, Access):
        children: tuple[Node, ...] = ()
        if not e.indices and e.name in ctx.keep:        # the position, as a number
            kind, own = "int", {e.name}
        else:
            kind = ctx.kinds[e.name]
            own = {v for i in e.indices for v in index_names(i) if v not in ctx.sizes}
    elif isinstance(e, Const):
        if isinstance(e.value, bool) or not isinstance(e.value, (int, float)):
            raise TensorliftError(f"{where}: unsupported constant {e.value!r}")
        children = ()
        kind = "int" if isinstance(e.value, int) else "float"
    elif isinstance(e, (Neg, Not, BinOp, Call, Reduce)):
        subs = (e.operand,) if isinstance(e, (Neg, Not)) else (e.left, e.right) if isinstance(e, BinOp) \
            else (e.body,) if isinstance(e, Reduce) else e.args
        children = tuple(_annotate(x, ctx) for x in subs)
        ck = [c.kind for c in children]
        if isinstance(e, (Neg, Reduce)):
            kind = promote(*ck) if ck[0] == "bool" else ck[0]
        elif isinstance(e, Not) or (isinstance(e, BinOp) and e.op in COMPARISONS + LOGICAL):
            kind = "bool"
        elif isinstance(e, BinOp):
            if e.op not in BINARY_OPS:
                raise TensorliftError(f"{where}: unsupported operator {e.op!r}")
            kind = promote(*ck)
        else:
            if e.func not in FUNCTIONS or len(e.args) != ARITY[e.func]:
                raise TensorliftError(f"{where}: {e.func} takes {ARITY.get(e.func, 'no')} arguments")
            kind = "float" if e.func in _FLOAT_FUNCTIONS else promote(*(ck[1:] if e.func == "where" else ck))
    else:
        raise TensorliftError(f"{where}: unsupported expression {e!r}")
    inner = own | {v for c in children for v in c.free}
    if isinstance(e, Reduce):
        reduce = tuple(v for v in reduce_vars(e, ctx.keep, ctx.sizes) if v in inner)
    else:
        reduce = tuple(ctx.homes.get(id(e), ()))
    free = tuple(v for v in ctx.order if v in inner and v not in reduce)
    return Node(e, children, kind, reduce, free)


_SIZE_NAME = re.compile(NAME)


def shape_exprs(plan: Plan, shape: Optional[list[str]], known) -> Optional[list[str]]:
    """A C shape (`["M", "N*K"]`) in the function's own names; None if it is unknown or a
    name in it is not `known` (a predicate on names)."""
    if shape is None or not all(known(m.group()) for e in shape for m in _SIZE_NAME.finditer(e)):
        return None
    return [_SIZE_NAME.sub(lambda m: plan.info(m.group()).ident, e) for e in shape]


def shape_code(plan: Plan, t: TensorInfo) -> Optional[str]:
    """A parameter array's shape as a Python tuple of the function's own size arguments
    (`(M, N)`), so that a flat buffer of the C's can be reshaped; None if a size is not
    a parameter."""
    params = {p.name for p in plan.sig.call_params}
    dims = shape_exprs(plan, t.param.shape or [], lambda n: n in params and not plan.info(n).order)
    if dims is None:
        return None
    return "(" + ", ".join(dims) + ("," if len(dims) == 1 else "") + ")"


_SIZE_OF = re.compile(r"([A-Za-z_]\w*)((?:\[0\])*)\.size\(\)")


def size_sources(plan: Plan) -> dict[str, tuple[str, int]]:
    """The sizes of C++ vectors (`n0` of `x.size()`): size -> (the vector, how deep), to be
    read off the vector in emitted code."""
    out = {}
    for p in plan.sig.params:
        m = _SIZE_OF.fullmatch(p.size_of or "")
        if m and m.group(1) in plan.tensors:
            out[p.name] = (m.group(1), m.group(2).count("["))
    return out


def signature_code(plan: Plan) -> str:
    """The emitted function's parameters: the C parameters in C order, then the globals,
    then the size macros, which default to the value the C file gives them."""
    return ", ".join(plan.info(p.name).ident + (f"={p.macro}" if p.macro is not None else "")
                     for p in plan.sig.call_params)


_ACCESS = {"read": "read", "write": "output", "readwrite": "read and updated (a new array is returned)"}


def parameter_doc(plan: Plan, dtype_names: dict[str, str]) -> str:
    """The docstring lines that say what each parameter is."""
    lines = ["    Parameters, in C order:" if not plan.sig.region else
             f"    Parameters (the inputs of the region {plan.sig.region}, in the order the C declares them):"]
    shaped = {m.group() for p in plan.sig.params if p.kind == "array" and p.name in plan.reads
              for e in p.shape or [] for m in _SIZE_NAME.finditer(e)}
    for p in plan.sig.call_params:
        t = plan.info(p.name)
        ident = t.ident if t.ident == p.name else f"{t.ident} (the C's {p.name})"   # a struct's field
        if p.name in plan.sig.origins:
            ident = f"{t.ident} ({plan.sig.origins[p.name]})"
        if p.kind == "scalar":
            what = {"dimension": "size", "stride": "row stride (dense)", "flag": "flag that picks the case",
                    "offset": "offset where windows of the C's arrays start"}.get(p.role, "value")
            if p.macro is not None:
                what += f", the macro {p.name} of the C (default {p.macro})"
            used = "" if p.name in plan.reads or p.name in shaped or p.role == "flag" else ", accepted and ignored"
            lines.append(f"      {ident}: {what} ({p.dtype}){used}")
            continue
        shape = ", ".join(p.shape or [])
        if p.offset:            # read at an offset: the argument is the window, not the whole buffer
            lines.append(f"      {ident}: {dtype_names[p.dtype]}[{shape}], the window of the C's buffer that "
                         f"starts at element {p.offset}, {_ACCESS[p.access]}")
        elif p.access == "write" and p.name in plan.reads:    # a domain keeps its other elements
            lines.append(f"      {ident}: {dtype_names[p.dtype]}[{shape}] (or the C's flat buffer of it), "
                         f"output: the elements the program does not assign keep their values (a new array "
                         f"is returned)")
        elif p.access == "write":
            lines.append(f"      {ident}: {dtype_names[p.dtype]}[{shape}], output only: may be None")
        else:
            lines.append(f"      {ident}: {dtype_names[p.dtype]}[{shape}] (or the C's flat buffer of it), "
                         f"{'read' if p.access == 'read' else 'read and updated (a new array is returned)'}")
    return "\n".join(lines)
