"""Affine expressions over size names (`N`, `n-1`, `2*M+1`): shapes and strides."""
from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Mapping, Optional, Sequence


@dataclass(frozen=True)
class Affine:
    terms: tuple[tuple[str, int], ...]   # (name, coefficient), no zero coefficients
    const: int = 0

    @staticmethod
    def of(const: int = 0, **terms: int) -> "Affine":
        return Affine(tuple((k, v) for k, v in terms.items() if v), const)

    def eval(self, env: Mapping[str, int]) -> int:
        return self.const + sum(c * env[n] for n, c in self.terms)

    @property
    def names(self) -> set[str]:
        return {n for n, _ in self.terms}

    def substitute(self, env: Mapping[str, "Affine"]) -> "Affine":
        acc: dict[str, int] = {}
        const = self.const
        for n, c in self.terms:
            if n in env:
                const += c * env[n].const
                for m, d in env[n].terms:
                    acc[m] = acc.get(m, 0) + c * d
            else:
                acc[n] = acc.get(n, 0) + c
        return Affine(tuple((n, c) for n, c in acc.items() if c), const)

    def __sub__(self, other: "Affine") -> "Affine":
        return _combine(self, other, -1)

    def __add__(self, other: "Affine") -> "Affine":
        return _combine(self, other, 1)

    def __str__(self) -> str:
        parts = []
        for n, c in self.terms:
            term = n if abs(c) == 1 else f"{abs(c)}*{n}"
            parts.append(("-" if c < 0 else "+") + term)
        if self.const or not parts:
            parts.append(("-" if self.const < 0 else "+") + str(abs(self.const)))
        s = "".join(parts)
        return s[1:] if s.startswith("+") else s


def scaled(a: Affine, b: Affine) -> Optional[Affine]:
    """The product of two affine expressions when one of them is a constant, else None."""
    if a.terms and b.terms:
        return None
    k, other = (a.const, b) if not a.terms else (b.const, a)
    return Affine(tuple((n, k * c) for n, c in other.terms if k * c), k * other.const)


def _combine(a: Affine, b: Affine, sign: int) -> Affine:
    acc = dict(a.terms)
    for n, c in b.terms:
        acc[n] = acc.get(n, 0) + sign * c
    return Affine(tuple((n, c) for n, c in acc.items() if c), a.const + sign * b.const)


def fit(names: Sequence[str], points: Sequence[Mapping[str, int]], values: Sequence[int]) -> Optional[Affine]:
    """The affine function of `names` through every (point, value), with integer
    coefficients, or None when there is none."""
    import numpy as np      # only when fitting: the front end's other users stay light
    if not names:
        return Affine((), values[0]) if len(set(values)) == 1 else None
    a = np.array([[p[n] for n in names] + [1] for p in points], dtype=float)
    b = np.array(values, dtype=float)
    sol, *_ = np.linalg.lstsq(a, b, rcond=None)
    coefs = [Fraction(x).limit_denominator(1) for x in sol]
    if any(abs(float(c) - x) > 1e-6 for c, x in zip(coefs, sol)):
        return None
    result = Affine(tuple((n, int(c)) for n, c in zip(names, coefs[:-1]) if c), int(coefs[-1]))
    if any(result.eval(p) != v for p, v in zip(points, values)):
        return None
    return result


def fit_extent(names: Sequence[str], points: Sequence[Mapping[str, int]], values: Sequence[int]):
    """An extent: affine in the sizes, or else the product of two of them (a flattened
    `for (i = 0; i < M*N; i++)`)."""
    a = fit(names, points, values)
    if a is not None:
        return a
    for x in names:
        for y in names[names.index(x):]:
            if all(p[x] * p[y] == v for p, v in zip(points, values)):
                return Product((Affine(((x, 1),)), Affine(((y, 1),))))
    return None


def parse_affine(text: str) -> Affine:
    """Reads what `str(Affine)` prints (and spaces), for tests and expectations."""
    s = text.replace(" ", "")
    if not s:
        raise ValueError("empty affine expression")
    if s[0] not in "+-":
        s = "+" + s
    acc: dict[str, int] = {}
    const = 0
    i = 0
    while i < len(s):
        sign = -1 if s[i] == "-" else 1
        j = i + 1
        while j < len(s) and s[j] not in "+-":
            j += 1
        term = s[i + 1:j]
        if "*" in term:
            c, n = term.split("*", 1)
            acc[n] = acc.get(n, 0) + sign * int(c)
        elif term.isdigit():
            const += sign * int(term)
        else:
            acc[term] = acc.get(term, 0) + sign
        i = j
    return Affine(tuple((n, c) for n, c in acc.items() if c), const)


@dataclass(frozen=True)
class Product:
    """A product of affine factors: the stride of an outer dimension of a dense array
    (`N*K` for the first dimension of an M x N x K array)."""
    factors: tuple[Affine, ...]

    def eval(self, env: Mapping[str, int]) -> int:
        out = 1
        for f in self.factors:
            out *= f.eval(env)
        return out

    def times(self, a: Affine) -> "Product":
        if not a.terms and a.const == 1:
            return self
        return Product(tuple(f for f in self.factors if f != Affine((), 1)) + (a,))

    def substitute(self, env: Mapping[str, Affine]) -> "Product":
        return Product(tuple(f.substitute(env) for f in self.factors))

    def __str__(self) -> str:
        parts = [str(f) if len(f.terms) + bool(f.const) <= 1 else f"({f})" for f in self.factors]
        return "*".join(parts) or "1"
