"""libclang, as the `libclang` wheel ships it, with the few entry points its Python bindings
lack (operator kinds, constant evaluation, variable initialisers), and the compiler's own
builtin headers (`stddef.h`, `stdarg.h`, ...), which the wheel does not carry."""
from __future__ import annotations

import ctypes
import functools
import glob
import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Optional

from ..errors import TensorliftError

try:
    import clang.cindex as ci
except ImportError:   # pragma: no cover - a broken install
    raise TensorliftError("libclang is not installed: pip install libclang") from None

_lib = None


def lib():
    """The loaded library, with the extra functions registered (once)."""
    global _lib
    if _lib is None:
        try:
            L = ci.conf.lib
        except Exception as e:  # pragma: no cover
            raise TensorliftError(f"cannot load libclang: {e}") from None
        C = ci.Cursor
        for name, args, res in [
            ("clang_getCursorBinaryOperatorKind", [C], ctypes.c_int),
            ("clang_getCursorUnaryOperatorKind", [C], ctypes.c_int),
            ("clang_getBinaryOperatorKindSpelling", [ctypes.c_int], ci._CXString),
            ("clang_Cursor_getVarDeclInitializer", [C], C),
            ("clang_Cursor_Evaluate", [C], ctypes.c_void_p),
            ("clang_EvalResult_getKind", [ctypes.c_void_p], ctypes.c_int),
            ("clang_EvalResult_isUnsignedInt", [ctypes.c_void_p], ctypes.c_uint),
            ("clang_EvalResult_getAsLongLong", [ctypes.c_void_p], ctypes.c_longlong),
            ("clang_EvalResult_getAsUnsigned", [ctypes.c_void_p], ctypes.c_ulonglong),
            ("clang_EvalResult_getAsDouble", [ctypes.c_void_p], ctypes.c_double),
            ("clang_EvalResult_dispose", [ctypes.c_void_p], None),
        ]:
            f = getattr(L, name)
            f.argtypes, f.restype = args, res
            if res is C:
                f.errcheck = C.from_result     # keeps the translation unit alive
        _lib = L
    return _lib


@functools.lru_cache(maxsize=None)
def _binary_spellings() -> dict[int, str]:
    L = lib()
    return {k: ci._CXString.from_result(L.clang_getBinaryOperatorKindSpelling(k), None, None)
            for k in range(1, 34)}


def binary_operator(cursor) -> str:
    """`+`, `<<=`, `&&`, `,` ... of a BINARY_OPERATOR or COMPOUND_ASSIGNMENT_OPERATOR."""
    return _binary_spellings().get(lib().clang_getCursorBinaryOperatorKind(cursor), "?")


_UNARY = {1: "p++", 2: "p--", 3: "++", 4: "--", 5: "&", 6: "*", 7: "+", 8: "-", 9: "~", 10: "!",
          13: "__extension__"}


def unary_operator(cursor) -> str:
    return _UNARY.get(lib().clang_getCursorUnaryOperatorKind(cursor), "?")


def var_init(cursor):
    return lib().clang_Cursor_getVarDeclInitializer(cursor)


def evaluate(cursor):
    """The value of a constant expression (int or float), or None."""
    L = lib()
    r = L.clang_Cursor_Evaluate(cursor)
    if not r:
        return None
    try:
        kind = L.clang_EvalResult_getKind(r)
        if kind == 1:
            if L.clang_EvalResult_isUnsignedInt(r):
                return int(L.clang_EvalResult_getAsUnsigned(r))
            return int(L.clang_EvalResult_getAsLongLong(r))
        if kind == 2:
            return float(L.clang_EvalResult_getAsDouble(r))
        return None
    finally:
        L.clang_EvalResult_dispose(r)


def spelled_at(tu, cursor):
    """Where the cursor's first token is written, when that is not where the cursor is: for
    a literal that comes out of a macro, a place in the macro's definition (the `64` in
    `#define N 64`). libclang reports locations of macro expansions at the use; the token
    of the extent's start still carries the place of its text."""
    start = cursor.extent.start
    toks = list(tu.get_tokens(extent=ci.SourceRange.from_locations(start, start)))
    if not toks:
        return None
    at, here = toks[0].location, cursor.location
    same = (at.file.name if at.file else None, at.line, at.column) == \
        (here.file.name if here.file else None, here.line, here.column)
    return None if same else at


def find_compiler(cplusplus: bool = False) -> str:
    env = os.environ.get("CXX" if cplusplus else "CC")
    names = (env, "c++", "g++", "clang++") if cplusplus else (env, "cc", "gcc", "clang")
    for cc in names:
        if cc and shutil.which(cc.split()[0]):
            return cc
    what = "C++" if cplusplus else "C"
    raise TensorliftError(f"no {what} compiler found (set {'CXX' if cplusplus else 'CC'} or install "
                          f"{'g++' if cplusplus else 'gcc'})")


def libclang_major() -> Optional[int]:
    """The major version of the libclang in use (18 for "clang version 18.1.1 ...")."""
    f = lib().clang_getClangVersion
    f.restype = ci._CXString
    m = re.search(r"version (\d+)", ci._CXString.from_result(f(), None, None))
    return int(m.group(1)) if m else None


def _major(path: Path) -> Optional[int]:
    m = re.match(r"(\d+)", path.name)
    return int(m.group(1)) if m else None


def resource_dirs() -> list[Path]:
    """Clang resource directories installed here (`.../lib/clang/N`, holding `include/`):
    the one beside the libclang library first, then any clang's or LLVM's."""
    here = Path(lib()._name).resolve().parent if getattr(lib(), "_name", None) else None
    roots = ([here, here.parent / "lib"] if here else []) + \
        [Path(p) for p in sorted(glob.glob("/usr/lib/llvm-*/lib"))] + \
        [Path("/usr/lib"), Path("/usr/lib64"), Path("/usr/local/lib"), Path("/opt/homebrew/opt/llvm/lib"),
         Path("/usr/local/opt/llvm/lib")]
    found, seen = [], set()
    for root in roots:
        for d in sorted((root / "clang").glob("*")) if (root / "clang").is_dir() else []:
            if _major(d) is not None and (d / "include" / "stddef.h").is_file() and d.resolve() not in seen:
                seen.add(d.resolve())
                found.append(d)
    return found


def pick_resource_dir(found: list[Path], major: Optional[int]) -> Optional[Path]:
    """The clang resource directory for a libclang of version `major`: its own version's;
    else the newest older one (a newer compiler still knows an older header's builtins);
    else the oldest newer one."""
    def rank(d):
        m = _major(d)
        return (0, 0) if major is None or m == major else (1, -m) if m < major else (2, m)
    return min(found, key=rank, default=None)


@functools.lru_cache(maxsize=None)
def builtin_headers() -> tuple[str, ...]:
    """Arguments that give libclang the compiler's builtin headers (`stddef.h`, `stdarg.h`,
    `immintrin.h`, ...), which the `libclang` wheel does not carry. Clang's own, from the
    resource directory that matches the libclang in use, so intrinsics headers parse as a
    real clang build parses them (gcc's use gcc's builtins); the system compiler's after
    them, for what clang lacks (`omp.h`), or alone when no clang is installed."""
    gcc = []
    try:
        cc = find_compiler()
        out = subprocess.run([cc, "-print-file-name=include"], capture_output=True, text=True,
                             timeout=30).stdout.strip()
        gcc = [out] if out and os.path.isdir(out) else []
    except (TensorliftError, OSError, subprocess.TimeoutExpired):
        pass
    rd = pick_resource_dir(resource_dirs(), libclang_major())
    if rd is None:
        return tuple(a for d in gcc for a in ("-isystem", d))
    return ("-resource-dir", str(rd), *(a for d in gcc for a in ("-idirafter", d)))


def missing_headers_hint(file: str) -> str:
    """What to install when libclang, without clang's headers, fails in one of gcc's."""
    args = builtin_headers()
    if "-resource-dir" in args or not any(file.startswith(d + os.sep) for d in args[1::2]):
        return ""
    v = libclang_major()
    return (f" (libclang {v or ''} found no clang resource directory, so it read gcc's builtin headers: "
            f"install clang's, e.g. apt-get install libclang-common-{v or 'N'}-dev)")
