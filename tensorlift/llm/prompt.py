"""The chat messages that ask a model for a C or C++ function in TACO index notation.

The text is fixed and depends only on the arguments, so that the same kernel gives the same
messages (and so the same cache keys) on every run.
"""
from __future__ import annotations

from typing import Optional

from ..signature import Signature
from ..taco import ops

SYSTEM = ("You translate C and C++ functions into TACO tensor index notation. "
          "You answer with the formula only.")

_PAIRS = [n for n, o in ops.FUNCTIONS.items() if o.arity == 2 and o.result == "promote"]     # min, max
_ELEMENT = [n for n, o in ops.FUNCTIONS.items() if o.result != "branches" and n not in _PAIRS]
CONVENTIONS = f"""\
Conventions:
- Tensor names are the parameter names; a struct field is written `s.vals`.
- A scalar is an order-0 tensor written by its name alone, e.g. `gain * u(i)`.
- A returned value (a scalar or a returned vector) takes the function's name: `total = u(i) * w(i)`.
- Index variables absent from the left-hand side are summed: `r(i) = M(i,k) * v(k)`.
- `+=` accumulates into the existing output: `P(i,j) += Q(i,k) * R(k,j)`.
- One statement per line; write several statements if the function writes several arrays.
- Beyond sums of products, when the code needs them:
  reductions `max(j, A(i,j))`, `min(j, ...)`, `prod(j, ...)`, `sum(j, ...)`;
  selects `where(x(i) > 0, x(i), 0)` with `{' '.join(ops.COMPARISONS + ops.LOGICAL + ('!',))}`;
  functions `{' '.join(_ELEMENT)}` and two-argument {', '.join(f'`{n}`' for n in _PAIRS)};
  index expressions `x(i+k)`, `x(2*i)`, `x(n-1-i)`;
  a partial output `C(i,j) = ... for j <= i` (other elements keep their values).
- Answer with the formula only: no prose, no code fences."""

_ACCESS = {"read": "input", "write": "output", "readwrite": "input and output (updated in place)"}


def describe_signature(function: str, signature: Signature) -> str:
    """What analysis found, in a few lines: arrays with order and shape, value scalars."""
    lines = []
    arrays = signature.arrays
    if arrays:
        lines.append("Arrays:")
        for p in arrays:
            shape = list(p.shape or [])
            desc = f"order {len(shape)}, shape [{', '.join(shape)}]" if p.shape is not None else "shape unknown"
            access = _ACCESS.get(p.access or "", p.access or "access unknown")
            lines.append(f"- {p.name}: {desc}, {p.dtype}, {access}")
    values = [p.name for p in signature.params if p.kind == "scalar" and p.role == "value"]
    if values:
        lines.append("Value scalars: " + ", ".join(values))
    if signature.returns:
        lines.append(f"Returned value: {function} ({signature.returns})")
    return "\n".join(lines)


def build_prompt(c_source: str, function: str, signature: Optional[Signature] = None,
                 language: str = "c") -> list[dict]:
    """Chat messages (system + user) asking for `function` of `c_source` (C or C++) in TACO
    notation."""
    lang = "C++" if language == "c++" else "C"
    parts = [f"Translate the {lang} function `{function}` below into TACO index notation.",
             CONVENTIONS]
    if signature is not None:
        described = describe_signature(function, signature)
        if described:
            parts.append(described)
    source = "\n".join(line.rstrip() for line in c_source.strip("\n").splitlines())
    fence = "cpp" if language == "c++" else "c"
    parts.append(f"{lang} code:\n```{fence}\n{source}\n```")
    return [{"role": "system", "content": SYSTEM},
            {"role": "user", "content": "\n\n".join(parts)}]
