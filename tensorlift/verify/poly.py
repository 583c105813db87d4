"""Integer index arithmetic as polynomials over solver atoms.

The inductive prover needs the shape of integer terms that z3 hides: how much a pointer moves
per iteration, which dimension of an array an offset addresses, which iteration writes an
element. A `Poly` is a sum of monomials, each an integer coefficient times a product of atoms
(size symbols, iteration numbers, opaque terms such as `n div 4`), read off a z3 term and
turned back into one.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

import z3

Monomial = tuple[int, ...]          # sorted ids of atoms, repeated for powers


@dataclass(frozen=True, eq=False)
class Poly:
    terms: tuple[tuple[Monomial, int], ...]      # (monomial, nonzero coefficient), sorted
    atoms: tuple[tuple[int, z3.ArithRef], ...]   # id -> atom, for every id in the monomials

    # ---------------------------------------------------------------- building
    @staticmethod
    def const(c: int) -> "Poly":
        return Poly(((((), c),) if c else ()), ())

    @staticmethod
    def atom(t: z3.ArithRef) -> "Poly":
        return Poly((((t.get_id(),), 1),), ((t.get_id(), t),))

    @staticmethod
    def of(t) -> "Poly":
        """A Python int or an integer z3 term as a polynomial (non-arithmetic subterms are atoms)."""
        if isinstance(t, int):
            return Poly.const(t)
        if z3.is_int_value(t):
            return Poly.const(t.as_long())
        if z3.is_add(t):
            out = Poly.const(0)
            for c in t.children():
                out = out + Poly.of(c)
            return out
        if z3.is_sub(t):
            kids = t.children()
            out = Poly.of(kids[0])
            for c in kids[1:]:
                out = out - Poly.of(c)
            return out
        if z3.is_app_of(t, z3.Z3_OP_UMINUS):
            return Poly.const(0) - Poly.of(t.arg(0))
        if z3.is_mul(t):
            out = Poly.const(1)
            for c in t.children():
                out = out * Poly.of(c)
            return out
        return Poly.atom(t)

    @staticmethod
    def _make(acc: dict, atoms: dict) -> "Poly":
        terms = tuple(sorted((m, c) for m, c in acc.items() if c))
        used = {a for m, _ in terms for a in m}
        return Poly(terms, tuple(sorted((a, atoms[a]) for a in used)))

    def __add__(self, other: "Poly") -> "Poly":
        other = _poly(other)
        acc = dict(self.terms)
        for m, c in other.terms:
            acc[m] = acc.get(m, 0) + c
        return Poly._make(acc, {**dict(self.atoms), **dict(other.atoms)})

    def __neg__(self) -> "Poly":
        return Poly(tuple((m, -c) for m, c in self.terms), self.atoms)

    def __sub__(self, other: "Poly") -> "Poly":
        return self + (-_poly(other))

    def __mul__(self, other: "Poly") -> "Poly":
        other = _poly(other)
        acc: dict = {}
        for m1, c1 in self.terms:
            for m2, c2 in other.terms:
                m = tuple(sorted(m1 + m2))
                acc[m] = acc.get(m, 0) + c1 * c2
        return Poly._make(acc, {**dict(self.atoms), **dict(other.atoms)})

    def scale(self, k: int) -> "Poly":
        return self * Poly.const(k)

    # ---------------------------------------------------------------- reading
    @property
    def constant(self) -> Optional[int]:
        """The value, when the polynomial is a number."""
        if not self.terms:
            return 0
        if len(self.terms) == 1 and self.terms[0][0] == ():
            return self.terms[0][1]
        return None

    @property
    def offset(self) -> int:
        """The constant term."""
        return dict(self.terms).get((), 0)

    def ids(self) -> set[int]:
        return {a for a, _ in self.atoms}

    def mentions(self, ids) -> bool:
        return bool(self.ids() & set(ids))

    def linear_in(self, atom_id: int) -> Optional[tuple[int, "Poly"]]:
        """(a, rest) with self == a*atom + rest, `a` a number and `rest` free of the atom; None
        when the atom appears otherwise (squared, times a symbol)."""
        a, rest = 0, {}
        for m, c in self.terms:
            n = m.count(atom_id)
            if n == 0:
                rest[m] = c
            elif n == 1 and len(m) == 1:
                a += c
            else:
                return None
        return a, Poly._make(rest, dict(self.atoms))

    def divmod(self, stride: "Poly") -> Optional[tuple["Poly", "Poly"]]:
        """(q, r) with self == q*stride + r, where q collects the monomials that the stride's
        leading monomial (most factors) divides (`i*n + i + j` by `n + 1` is i, remainder j);
        None for a zero stride. Whether r lies inside its dimension is the caller's check."""
        if not stride.terms:
            return None
        if len(stride.terms) > 1:
            lead = Poly((max(stride.terms, key=lambda mc: (len(mc[0]), abs(mc[1]))),), stride.atoms)
            q = self.divmod(lead)[0]
            return q, self - q * stride
        (sm, sc), = stride.terms
        q, r = {}, {}
        for m, c in self.terms:
            rest = list(m)
            if c % sc == 0 and all(rest.count(a) >= sm.count(a) for a in set(sm)):
                for a in sm:
                    rest.remove(a)
                key = tuple(rest)
                q[key] = q.get(key, 0) + c // sc
            else:
                r[m] = c
        atoms = {**dict(self.atoms), **dict(stride.atoms)}
        return Poly._make(q, atoms), Poly._make(r, atoms)

    def term(self) -> z3.ArithRef:
        atoms = dict(self.atoms)
        parts = []
        for m, c in self.terms:
            factors = [atoms[a] for a in m]
            t = factors[0] if factors else z3.IntVal(c)
            for f in factors[1:]:
                t = t * f
            if factors and c != 1:
                t = z3.IntVal(c) * t if c != -1 else -t
            parts.append(t)
        if not parts:
            return z3.IntVal(0)
        out = parts[0]
        for p in parts[1:]:
            out = out + p
        return out

    def __str__(self) -> str:
        return str(self.term())


def _poly(x) -> Poly:
    return x if isinstance(x, Poly) else Poly.of(x)


def same(a, b) -> bool:
    """Whether two integer terms are equal as polynomials (a syntactic check, no solver)."""
    return (Poly.of(a) - Poly.of(b)).constant == 0


def difference(a, b) -> Optional[int]:
    """a - b when it is a number."""
    return (Poly.of(a) - Poly.of(b)).constant
