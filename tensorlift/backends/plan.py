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
from typing import Optional, Sequence

from .. import carith
from ..errors import TensorliftError
from ..taco.ir import Access, Const, Program, Statement, accesses, index_names, is_index_value, nodes
from ..taco.semantics import size_names
from ..taco.typing import Node, annotate, kind_of_ctype, promote
from ..taco.parse import NAME
from ..signature import Param, Signature
from .names import PYTHON_RESERVED, Namer


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
    inner: dict[str, str] = field(default_factory=lambda: {"int": "int64", "float": "float64"})
    """The NumPy dtype names that values of each kind are computed in (see `inner_dtypes`)."""
    buffers: dict[str, str] = field(default_factory=dict)
    """Output parameter -> a Python name for the caller's buffer of it."""

    def info(self, name: str) -> TensorInfo:
        return self.tensors[name]


def make_plan(program: Program, sig: Signature, reserved=PYTHON_RESERVED) -> Plan:
    if not program.statements and sig.outputs:     # none is right only where the C computes nothing
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
            if is_index_value(a, st.lhs):
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
        root = annotate(st.rhs, kinds, var_order, lhs.indices, sizes, where)
        domain = None
        if st.domain is not None:
            domain = annotate(st.domain, kinds, var_order, lhs.indices, sizes, where, sums=False)
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
    buffers = {t.name: namer.fresh(f"{t.ident}_buffer") for t in outputs if t.role == "param"}
    return Plan(program, sig, function, tensors, plans, outputs, reads, inner_dtypes(program, sig), buffers)


WIDE_INTS = ("int64", "uint64", "uint32")
"""Integer types whose values or arithmetic need 64 bits."""


def inner_dtypes(program: Program, sig: Signature) -> dict[str, str]:
    """The precision the C computes in: int32 unless a 64-bit or unsigned 32-bit integer (type
    or constant) takes part; float32 where the C declares `float` and no `double` and every
    output is a float (an integer result of float arithmetic is computed in double, as a
    `double` constant makes the C do), float64 otherwise."""
    types = set(sig.types_used or ()) | {p.dtype for p in sig.params} | {sig.returns} - {None}
    constants = [e.value for st in program.statements for e in nodes(st.rhs) if isinstance(e, Const)]
    wide = bool(types & set(WIDE_INTS)) or any(isinstance(v, int) and not -2 ** 31 <= v < 2 ** 31 for v in constants)
    single = "float" in types and "double" not in types and all(carith.is_float(sig.dtype_of(o)) for o in sig.outputs)
    return {"int": "int64" if wide else "int32", "float": "float32" if single else "float64"}


def _check_order(a: Access, t: TensorInfo, where: str) -> None:
    if t.param is not None and t.param.kind == "array" and t.param.shape is None:
        return      # shape unknown: nothing to check against
    if len(a.indices) != t.order:
        raise TensorliftError(f"{where}: {a} has {len(a.indices)} indices but {t.name} has "
                              f"order {t.order}")


_SIZE_NAME = re.compile(NAME)


def shape_exprs(plan: Plan, shape: Optional[list[str]], known) -> Optional[list[str]]:
    """A C shape (`["M", "N*K"]`) in the function's own names; None if it is unknown or a
    name in it is not `known` (a predicate on names)."""
    if shape is None or not all(known(m.group()) for e in shape for m in _SIZE_NAME.finditer(e)):
        return None
    return [_SIZE_NAME.sub(lambda m: plan.info(m.group()).ident, e) for e in shape]


def shape_code(plan: Plan, t: TensorInfo, strides: bool = False) -> Optional[str]:
    """A parameter array's shape (or with `strides` its strides in the C's buffer, when its
    rows lie apart there) as a Python tuple of the function's own size arguments (`(M, N)`),
    so that a flat buffer of the C's can be read; None if a size is not a parameter (or the
    array is dense, for strides)."""
    params = {p.name for p in plan.sig.call_params}
    exprs = t.param.strides if strides else t.param.shape or []
    dims = shape_exprs(plan, exprs, lambda n: n in params and not plan.info(n).order)
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


def names_in(code: str) -> set[str]:
    """The names Python code uses (comments left out)."""
    return set(re.findall(r"\w+", re.sub(r"#.*", "", code)))


def output_only(plan: Plan, p: Param) -> bool:
    """An array the C only writes, all of it: the caller may give None for it."""
    return p.kind == "array" and p.access == "write" and p.name not in plan.reads


def signature_code(plan: Plan, body: str) -> str:
    """The emitted function's parameters: the C parameters in C order, then the globals,
    then the size macros, which default to the value the C file gives them. The last
    parameters whose values are not needed (outputs only, scalars the `body` never uses)
    default to None."""
    used = names_in(body)
    params = plan.sig.call_params
    optional = len(params)
    while optional and (params[optional - 1].macro is not None or output_only(plan, params[optional - 1])
                        or plan.info(params[optional - 1].name).ident not in used):
        optional -= 1
    return ", ".join(plan.info(p.name).ident + (f"={p.macro}" if p.macro is not None else
                                                "=None" if k >= optional else "")
                     for k, p in enumerate(params))


def doc_shape(plan: Plan, shape: Optional[list[str]]) -> str:
    """A C shape in the function's own names, for a docstring: `[d_rows*d_cols]`."""
    return "[" + ", ".join(shape_exprs(plan, shape or [], plan.tensors.__contains__) or shape or []) + "]"


def parameter_doc(plan: Plan, dtype_names: dict[str, str], body: str,
                  cases: Sequence[tuple[str, "Plan"]] = ()) -> str:
    """The docstring lines that say what each parameter is (`body`: the function's code;
    `cases`: each case's condition and plan, for a guarded program: an output a case leaves
    alone comes back as given there)."""
    used = names_in(body)
    alone = {p.name: cond for cond, case in cases for p in plan.sig.params
             if p.name in plan.sig.outputs and p.name not in case.sig.outputs}
    lines = ["    Parameters, in C order:" if not plan.sig.region else
             f"    Parameters (the inputs of the region {plan.sig.region}, in the order the C declares them):"]
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
            ignored = "" if t.ident in used else ", accepted and ignored"
            lines.append(f"      {ident}: {what} ({p.dtype}){ignored}")
            continue
        array = f"{dtype_names[p.dtype]}{doc_shape(plan, p.shape)}"
        if p.strides is not None:
            array += f" (strides {doc_shape(plan, p.strides)[1:-1]} in the C's buffer)"
        if p.offset:            # read at an offset: the argument is the window, not the whole buffer
            array += f", the window of the C's buffer that starts at element {p.offset}"
        if p.access == "write" and p.name in plan.reads:    # a domain keeps its other elements
            what = "output: the elements the program does not assign keep their values"
        elif p.access == "write" and p.name in alone:
            what = f"output (returned as given when {alone[p.name]})"
        elif p.access == "write":
            what = "output only: may be None"
        else:
            what = "read" if p.access == "read" else "read and updated"
        lines.append(f"      {ident}: {array}, {what}")
    lines.append("    An array is given in its shape or as the C's flat buffer, which may be longer, as the\n"
                 "    C allows: its first elements are the array (a longer output comes back whole).")
    return "\n".join(lines)
