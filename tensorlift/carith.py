"""C's numbers, once for every stage: the types, conversions between them, integer division,
and how floating-point results are compared.

A dtype is a C arithmetic type on the usual 64-bit ABI (LP64), named as analysis reports it:
"bool", "int8", "uint8", "int16", "uint16", "int" (C's 32-bit int), "uint32", "int64",
"uint64", "float", "double". Integers convert by wrapping to their width (for signed types
this is what GCC does where C leaves it to the implementation); a float converts to an
integer by truncation toward zero.
"""
from __future__ import annotations

import math

INT_TYPES = {"bool": (1, False), "int8": (8, True), "uint8": (8, False), "int16": (16, True),
             "uint16": (16, False), "int": (32, True), "uint32": (32, False), "int64": (64, True),
             "uint64": (64, False)}
FLOAT_TYPES = {"float": 32, "double": 64}
DTYPES = tuple(INT_TYPES) + tuple(FLOAT_TYPES)

C_NAMES = {"bool": "_Bool", "int8": "signed char", "uint8": "unsigned char", "int16": "short",
           "uint16": "unsigned short", "int": "int", "uint32": "unsigned int", "int64": "long long",
           "uint64": "unsigned long long", "float": "float", "double": "double"}
"""A C spelling of each dtype (for the harness)."""

NUMPY = {"bool": "uint8", "int8": "int8", "uint8": "uint8", "int16": "int16", "uint16": "uint16",
         "int": "int32", "uint32": "uint32", "int64": "int64", "uint64": "uint64",
         "float": "float32", "double": "float64"}
"""The NumPy dtype of each C type (emitted code returns outputs in these)."""


def is_int(dtype: str) -> bool:
    return dtype in INT_TYPES


def is_float(dtype: str) -> bool:
    return dtype in FLOAT_TYPES


def bounds(dtype: str) -> tuple[int, int]:
    """Smallest and largest value of an integer type."""
    bits, signed = INT_TYPES[dtype]
    return (-(1 << (bits - 1)), (1 << (bits - 1)) - 1) if signed else (0, (1 << bits) - 1)


def wrap(v: int, dtype: str) -> int:
    """An integer converted to an integer type: reduced modulo 2**bits into its range."""
    if dtype == "bool":
        return int(v != 0)
    bits, signed = INT_TYPES[dtype]
    lo, hi = bounds(dtype)
    if lo <= v <= hi:
        return v
    v &= (1 << bits) - 1
    return v - (1 << bits) if signed and v > hi else v


def convert(v, dtype: str):
    """A Python number converted as C converts a value to `dtype` (a float to an integer type
    truncates toward zero; a float out of the integer's range raises OverflowError, as the
    conversion is undefined in C)."""
    if dtype in FLOAT_TYPES:
        return float(v)
    if isinstance(v, float):
        if dtype == "bool":
            return int(v != 0.0)
        if not math.isfinite(v):
            raise OverflowError(f"{v} converted to {dtype}")
        v = int(v)        # truncates toward zero
        lo, hi = bounds(dtype)
        if not lo <= v <= hi:
            raise OverflowError(f"{v} out of the range of {dtype}")
        return v
    return wrap(int(v), dtype)


def c_div(a: int, b: int) -> int:
    """C's integer `/`: the quotient truncated toward zero (Python's `//` floors)."""
    q = abs(a) // abs(b)
    return q if (a >= 0) == (b >= 0) else -q


def c_mod(a: int, b: int) -> int:
    return a - b * c_div(a, b)


def c_div_array(a, b):
    """`c_div` on NumPy integer arrays (the caller rules out zero divisors)."""
    import numpy as np
    return (a - np.fmod(a, b)) // b


def wrap_array(v, dtype: str):
    """`wrap` on a NumPy int64 array."""
    import numpy as np
    bits, signed = INT_TYPES[dtype]
    if dtype == "bool":
        return (v != 0).astype(np.int64)
    if bits >= 64:
        return v
    lo = -(1 << (bits - 1)) if signed else 0
    return (v - lo) % (1 << bits) + lo


def promote(dtype: str) -> str:
    """The integer promotions: types narrower than int compute as int."""
    if dtype in INT_TYPES and INT_TYPES[dtype][0] < 32:
        return "int"
    return dtype


def common(a: str, b: str) -> str:
    """The usual arithmetic conversions of C for two operand types."""
    if "double" in (a, b):
        return "double"
    if "float" in (a, b):
        return "float"
    a, b = promote(a), promote(b)
    if a == b:
        return a
    (ba, sa), (bb, sb) = INT_TYPES[a], INT_TYPES[b]
    if sa == sb:
        return a if ba >= bb else b
    u, s = (a, b) if not sa else (b, a)
    if INT_TYPES[u][0] >= INT_TYPES[s][0]:
        return u
    return s


# ---------------------------------------------------------------- comparing results

RTOL = {"float": 1e-4, "double": 1e-9}
"""Relative tolerance by the narrowest floating type a kernel computes with: C `float`
carries about 7 digits, and sums in another order than ours differ in the last ones."""


def tolerance(dtypes) -> float:
    """The relative tolerance for outputs of a kernel whose values have these dtypes."""
    return RTOL["float"] if "float" in set(dtypes) else RTOL["double"]


def close(got, want, dtype: str, rtol: float, scale: float = 1.0):
    """Element-wise comparison of a result with the C result, as NumPy booleans (True where
    they agree). Integers must be equal. Floats agree when |got - want| <= rtol * |want| +
    rtol * scale, where `scale` is the magnitude of the inputs (at least 1): each element is
    held to its own magnitude, and an element that cancels to near zero to the input scale.
    Two NaNs, or two infinities of the same sign, agree."""
    import numpy as np
    got, want = np.asarray(got), np.asarray(want)
    if dtype in INT_TYPES:
        return got == want
    g, w = got.astype(np.float64), want.astype(np.float64)
    with np.errstate(invalid="ignore", over="ignore"):
        ok = np.abs(g - w) <= rtol * (np.abs(w) + max(1.0, scale))
        return ok | (g == w) | (np.isnan(g) & np.isnan(w))


def matches(got, want, dtype: str, rtol: float, scale: float = 1.0) -> bool:
    """Whole arrays (or scalars) compared with `close`; shapes must agree."""
    import numpy as np
    got, want = np.asarray(got), np.asarray(want)
    if got.shape != want.shape:
        return False
    return bool(np.all(close(got, want, dtype, rtol, scale)))
