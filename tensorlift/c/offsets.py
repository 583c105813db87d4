"""Offsets: scalars that move where an array is read, not how it is walked.

Attention reads one head's slice of its query and of a layer's key cache:
`q[h * head_size + i]`, `key_cache + loff + t * kv_dim + (h / kv_mul) * head_size`. The
index is affine in the loop variables (`i`, `t * kv_dim`); what is added to it without a
loop variable (`h * head_size`, `loff + (h / kv_mul) * head_size`) is where the part the
loops walk starts. A scalar that only ever appears in such terms (never multiplying a loop
variable, never bounding a loop) is an offset, and the array is the window that starts
there: `q` is `head_size` elements from `h * head_size`. Analysis fits the window's shape
as for any array; examples, proofs and the emitted code take the window, and say where in
the C's buffer it starts (`Offset`, printed as the C computes it).

The terms come from the code, not from the trace: address expressions are followed
through pointer arithmetic and through locals set once (`float *k = s->key_cache + ...`),
and split at `+` and `-`. Offsets take values in the examples and the proofs like sizes
do (from 0, or from 1 when they divide).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional, Union

from .. import carith
from . import ast as A
from .ast import field_path

Term = Union[int, str, tuple]      # a literal, a slot name, or (op, left, right)


@dataclass(frozen=True)
class Offset:
    """Where an array's window starts in the C's buffer: a sum of signed terms over scalars."""
    terms: tuple[tuple[int, Term], ...]

    def eval(self, env) -> object:
        """The value for these scalar values (ints, or solver terms of nonnegative values)."""
        total = 0
        for sign, t in self.terms:
            total = total + sign * _value(t, env)
        return total

    @property
    def names(self) -> set[str]:
        return {n for _, t in self.terms for n in _names(t)}

    def __str__(self) -> str:
        out = ""
        for sign, t in self.terms:
            text = _text(t, 1)
            out += (" - " if sign < 0 else " + ") + text if out else ("-" if sign < 0 else "") + text
        return out or "0"


def _value(t: Term, env):
    if isinstance(t, int):
        return t
    if isinstance(t, str):
        return env[t]
    op, a, b = t
    x, y = _value(a, env), _value(b, env)
    if op == "+":
        return x + y
    if op == "-":
        return x - y
    if op == "*":
        return x * y
    if isinstance(x, int) and isinstance(y, int):
        return carith.c_div(x, y) if op == "/" else carith.c_mod(x, y)
    return x / y if op == "/" else x % y        # solver terms: of nonnegative values, as C's


def _names(t: Term) -> set[str]:
    if isinstance(t, str):
        return {t}
    if isinstance(t, tuple):
        return _names(t[1]) | _names(t[2])
    return set()


_PREC = {"+": 1, "-": 1, "*": 2, "/": 2, "%": 2}


def _text(t: Term, outer: int) -> str:
    if not isinstance(t, tuple):
        return str(t)
    op, a, b = t
    left = _text(a, _PREC[op])
    if op == "*" and isinstance(a, tuple) and a[0] in "/%":
        left = f"({left})"                    # `(h / kv_mul) * head_size`, as written
    text = f"{left} {op} {_text(b, _PREC[op] + 1)}"
    return f"({text})" if _PREC[op] < outer else text


@dataclass
class Windows:
    """The offset scalars of a kernel and the window of each array read at an offset."""
    scalars: set[str]
    bases: dict[str, Offset]


def find_windows(kernel: A.Kernel, slots, roles: dict[str, str]) -> Windows:
    scan = _Scan(kernel, {s.name for s in slots if s.kind == "scalar"}, {s.name for s in slots if s.kind == "array"})
    for f in kernel.functions.values():
        scan.function(f)
    candidates = {n for n in scan.invariant if roles.get(n) == "stride"} - scan.varying_names
    candidates = {n for n in candidates if carith.is_int(next(s.dtype for s in slots if s.name == n))}
    bases: dict[str, Offset] = {}
    mixed: set[str] = set()
    for array, terms in scan.sites:
        mine = tuple((sign, t) for sign, t in terms if _names(t) & candidates)
        base = Offset(mine)
        if array in bases and bases[array] != base:
            mixed.add(array)
        bases.setdefault(array, base)
    bases = {a: b for a, b in bases.items() if b.terms and a not in mixed}
    used = {n for b in bases.values() for n in b.names} & candidates
    return Windows(used, {a: b for a, b in bases.items() if b.names & used})


class _Scan:
    """Every array access of the kernel's functions as (array slot, signed index terms)."""

    def __init__(self, kernel: A.Kernel, scalars: set[str], arrays: set[str]):
        self.kernel = kernel
        self.scalars, self.arrays = scalars, arrays
        self.sites: list[tuple[str, list]] = []
        self.invariant: set[str] = set()       # scalars in terms without a loop variable
        self.varying_names: set[str] = set()   # scalars in terms with one (strides)
        self.defs: dict[str, A.Expr] = {}
        self.varying: set[str] = set()

    def function(self, f: A.Function) -> None:
        """Locals set once are their value; anything else assigned (a loop counter, an
        accumulator, a walked pointer) varies."""
        decls: dict[str, list] = {}
        assigned: set[str] = set()
        for n in A.walk(f.body):
            if isinstance(n, A.Decl):
                decls.setdefault(n.name, []).append(n)
            elif isinstance(n, A.Assign) and isinstance(n.target, A.Name):
                assigned.add(n.target.name)
            elif isinstance(n, A.Unary) and n.op in ("++", "--", "p++", "p--") and isinstance(n.operand, A.Name):
                assigned.add(n.operand.name)
        self.defs = {name: ds[0].init for name, ds in decls.items()
                     if len(ds) == 1 and ds[0].init is not None and name not in assigned}
        self.varying = (assigned | set(decls)) - set(self.defs)
        self.varying |= {p.name for p in f.params} if f is not self.kernel.function else set()
        for n in A.walk(f.body):
            if isinstance(n, A.Index) and _scalar(n.type):
                self.access(n.base, n.index)
            elif isinstance(n, A.Unary) and n.op == "*" and _scalar(n.type):
                self.access(n.operand, None)

    def access(self, base, index) -> None:
        found = self.pointer(base, 0)
        if found is None:
            return
        root, terms = found
        if index is not None:
            terms = terms + self.terms(index, 1, 0)
        if any(t is None for _, t in terms):
            return
        for _, t in terms:
            names = _names(t) & self.scalars
            if any(n.startswith("@") for n in _names(t)):
                self.varying_names |= names
            else:
                self.invariant |= names
        self.sites.append((root, [(s, t) for s, t in terms if not any(n.startswith("@") for n in _names(t))]))

    def pointer(self, e, depth: int) -> Optional[tuple[str, list]]:
        """The array slot a pointer expression points into, and the signed terms added."""
        if depth > 20:
            return None
        if isinstance(e, A.Cast):
            return self.pointer(e.expr, depth + 1)
        if isinstance(e, A.Member):
            path = field_path(e)
            return (path, []) if path in self.arrays else None
        if isinstance(e, A.Name):
            if e.name in self.arrays and e.name not in self.defs:
                return e.name, []
            if e.name in self.defs and e.name not in self.varying:
                return self.pointer(self.defs[e.name], depth + 1)
            return None
        if isinstance(e, A.Binary) and e.op in "+-":
            lp = _is_pointer(e.left)
            ptr, off = (e.left, e.right) if lp else (e.right, e.left)
            if _is_pointer(off) or not _is_pointer(ptr):
                return None
            inner = self.pointer(ptr, depth + 1)
            if inner is None:
                return None
            return inner[0], inner[1] + self.terms(off, -1 if e.op == "-" else 1, depth + 1)
        return None

    def terms(self, e, sign: int, depth: int) -> list:
        """`e` as signed terms; a term is None where the code is beyond this reading."""
        if isinstance(e, A.Cast):
            return self.terms(e.expr, sign, depth + 1)
        if isinstance(e, A.Binary) and e.op in "+-":
            return self.terms(e.left, sign, depth + 1) + self.terms(e.right, sign * (1 if e.op == "+" else -1), depth + 1)
        if isinstance(e, A.Binary) and e.op == "*":         # `(f * h + y) * w` is `f*h*w + y*w`
            left, right = self.terms(e.left, 1, depth + 1), self.terms(e.right, 1, depth + 1)
            if len(left) > 1 or len(right) > 1:
                return [(sign * sa * sb, None if a is None or b is None else ("*", a, b))
                        for sa, a in left for sb, b in right]
        if isinstance(e, A.Name) and e.name in self.defs and e.name not in self.scalars and depth < 40:
            return self.terms(self.defs[e.name], sign, depth + 1)      # a local set once: its value's terms
        return [(sign, self.term(e, depth + 1))]

    def term(self, e, depth: int) -> Optional[Term]:
        if depth > 40:
            return None
        if isinstance(e, A.Cast):
            return self.term(e.expr, depth + 1)
        if isinstance(e, A.Lit):
            if not isinstance(e.value, int):
                return None
            return e.macro if e.macro in self.scalars else e.value
        if isinstance(e, A.Member):
            path = field_path(e)
            return path if path in self.scalars else None
        if isinstance(e, A.Name):
            if e.name in self.defs and e.name not in self.scalars:
                return self.term(self.defs[e.name], depth + 1)
            if e.name in self.varying or e.name not in self.scalars:
                return "@" + e.name                  # a loop variable, or another changing value
            return e.name
        if isinstance(e, A.Binary) and e.op in ("+", "-", "*", "/", "%"):
            a, b = self.term(e.left, depth + 1), self.term(e.right, depth + 1)
            return None if a is None or b is None else (e.op, a, b)
        return None


def _scalar(t) -> bool:
    return isinstance(A.strip_ref(t), A.Scalar)


def _is_pointer(e) -> bool:
    return isinstance(A.strip_ref(getattr(e, "type", None)), (A.Pointer, A.Array))
