"""The `taco` target: TACO index notation text, one statement per line, under a header of
`#` comments that lists every tensor with its C type, role, shape and TACO format.

The text is checked by reading it back with `taco.parse.parse_program` (comments skipped)
and running it through the NumPy back end. A guarded program (one program per case of the
kernel's flags) is one kernel per case, each under the `if`/`elif` line of its case.
"""
from __future__ import annotations

from ..taco.ir import Guarded, accesses
from ..signature import Signature
from .plan import make_plan

_FORMATS = {0: "scalar", 1: "dense vector", 2: "dense matrix"}


def emit_taco(program, sig: Signature, case_sigs=None) -> str:
    if isinstance(program, Guarded):       # each case validated against its signature
        plan = [make_plan(p, s) for (_, p), s in zip(program.cases, case_sigs or [sig] * len(program.cases))][0]
    else:
        plan = make_plan(program, sig)      # validates the program against the signature
    used = {a.name for s in program.statements for a in [s.lhs, *accesses(s.rhs)]}
    rows = []
    for t in plan.tensors.values():
        if t.name not in used:
            continue
        if t.role == "param":
            p = t.param
            role = p.access if p.kind == "array" else f"{p.role or 'value'} scalar"
            if p.offset:
                role += f" (the window from element {p.offset})"
            shape = f"[{', '.join(p.shape or [])}]" if p.kind == "array" else ""
        elif t.role == "return":
            role, shape = "returned", f"[{', '.join(sig.returns_shape)}]" if t.order else ""
        else:
            role, shape = "temporary", ""
        fmt = "d" * t.order if t.order else "-"
        ctype = t.ctype or t.kind
        rows.append((t.name, ctype, role, shape, fmt))
    unused = [p.name for p in sig.params if p.name not in used]
    head = [f"# {sig.title}: TACO index notation lifted from C by tensorlift.",
            "# Statements run in order; a right-side index variable absent on the left is summed"
            " at the smallest",
            "# subexpression containing all its uses; int tensors use C's truncating division.",
            "# tensor  C type  role  shape  format (d = dense, row-major)"]
    widths = [max(len(r[k]) for r in rows) for k in range(5)]
    for r in rows:
        head.append("#   " + "  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip())
    if unused:
        head.append(f"# not used by the program: {', '.join(unused)}")
    if isinstance(program, Guarded):
        head.append("# one kernel per case of the flags (shapes above: the first case's)")
        return "\n".join(head + [str(program)]) + "\n"
    return "\n".join(head + [str(s) for s in program.statements]) + "\n"
