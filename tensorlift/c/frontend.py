"""C front end: preprocess with the system `cc -E`, parse with pycparser, resolve types.

System headers are replaced by pycparser's fake libc headers (which typedef every
standard type to a plain one), so any kernel that includes <stdio.h> or <stdint.h>
parses; headers beside the file are found through `-I`.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional, Union

import pycparser_fake_libc
from pycparser import c_ast, c_parser

from ..errors import TensorliftError, UnsupportedConstruct

# ---------------------------------------------------------------- types


@dataclass(frozen=True)
class Scalar:
    name: str            # "int" | "float" | "double" | "void"


@dataclass(frozen=True)
class Pointer:
    target: "CType"


@dataclass(frozen=True)
class Array:
    elem: "CType"
    size: Optional[c_ast.Node] = field(default=None, compare=False, hash=False)


@dataclass(frozen=True)
class Struct:
    name: str
    fields: tuple[tuple[str, "CType"], ...] = field(compare=False, hash=False, default=())

    def field_type(self, name: str) -> "CType":
        for n, t in self.fields:
            if n == name:
                return t
        raise UnsupportedConstruct(f"unknown struct field '{name}' of struct {self.name}")


CType = Union[Scalar, Pointer, Array, Struct]
INT, FLOAT, DOUBLE, VOID = Scalar("int"), Scalar("float"), Scalar("double"), Scalar("void")

_FLOAT_WORDS = {"float": FLOAT, "double": DOUBLE}
_INT_WORDS = {"int", "char", "short", "long", "signed", "unsigned", "_Bool", "__int128"}


def base_scalar(t: CType) -> Scalar:
    """The scalar at the bottom of pointers and arrays (`float **` -> float)."""
    while isinstance(t, (Pointer, Array)):
        t = t.target if isinstance(t, Pointer) else t.elem
    return t if isinstance(t, Scalar) else INT


def is_pointerish(t: CType) -> bool:
    return isinstance(t, (Pointer, Array))


# ---------------------------------------------------------------- kernel


@dataclass
class Kernel:
    """One C function and what is needed to run it: its file, types and callees."""
    name: str
    node: c_ast.FuncDef
    params: list[tuple[str, CType]]
    return_type: CType
    functions: dict[str, c_ast.FuncDef]
    source: str                     # the original source text
    path: Optional[Path]            # the file, if the kernel came from one
    types: "TypeResolver"

    @property
    def returns_value(self) -> bool:
        return self.return_type != VOID


class TypeResolver:
    """Turns pycparser declarations into CType, following typedefs and struct tags."""

    def __init__(self, ast: c_ast.FileAST):
        self.typedefs: dict[str, c_ast.Node] = {}
        self.structs: dict[str, c_ast.Struct] = {}
        for ext in ast.ext:
            if isinstance(ext, c_ast.Typedef):
                self.typedefs[ext.name] = ext.type
            self._collect_structs(ext)

    def _collect_structs(self, node):
        for _, child in node.children():
            self._collect_structs(child)
        if isinstance(node, c_ast.Struct) and node.decls is not None and node.name:
            self.structs[node.name] = node

    def resolve(self, node: c_ast.Node, depth: int = 0) -> CType:
        if depth > 50:
            raise UnsupportedConstruct("recursive type")
        if isinstance(node, c_ast.TypeDecl):
            return self.resolve(node.type, depth + 1)
        if isinstance(node, c_ast.PtrDecl):
            return Pointer(self.resolve(node.type, depth + 1))
        if isinstance(node, c_ast.ArrayDecl):
            return Array(self.resolve(node.type, depth + 1), node.dim)
        if isinstance(node, c_ast.Typename):
            return self.resolve(node.type, depth + 1)
        if isinstance(node, c_ast.Struct):
            return self._struct(node, depth)
        if isinstance(node, c_ast.IdentifierType):
            names = node.names
            for w in names:
                if w in _FLOAT_WORDS:
                    return _FLOAT_WORDS[w]
            if all(w in _INT_WORDS for w in names):
                return INT
            if names == ["void"]:
                return VOID
            if len(names) == 1 and names[0] in self.typedefs:
                return self.resolve(self.typedefs[names[0]], depth + 1)
            return INT  # fake libc typedefs are ints; unknown words default to int
        if isinstance(node, c_ast.Enum):
            return INT
        if isinstance(node, c_ast.FuncDecl):
            raise UnsupportedConstruct("function pointer", _line(node))
        if isinstance(node, c_ast.Union):
            raise UnsupportedConstruct("union", _line(node))
        raise UnsupportedConstruct(type(node).__name__, _line(node))

    def _struct(self, node: c_ast.Struct, depth: int) -> Struct:
        decl = node if node.decls is not None else self.structs.get(node.name)
        if decl is None:
            raise UnsupportedConstruct(f"incomplete struct {node.name}", _line(node))
        fields = tuple((d.name, self.resolve(d.type, depth + 1)) for d in decl.decls or ())
        return Struct(decl.name or "<anonymous>", fields)


def walk(node: c_ast.Node):
    """Every node of a subtree, the node itself first."""
    yield node
    for _, child in node.children():
        yield from walk(child)


def _line(node: c_ast.Node) -> Optional[int]:
    return node.coord.line if node is not None and node.coord else None


# ---------------------------------------------------------------- parsing


def find_compiler() -> str:
    for cc in (os.environ.get("CC"), "cc", "gcc", "clang"):
        if cc and shutil.which(cc):
            return cc
    raise TensorliftError("no C compiler found (set CC or install gcc)")


def preprocess(source: str, path: Optional[Path]) -> str:
    """Runs `cc -E` on the file itself (so line markers and error messages name it and
    headers beside it are found), or on source text given on stdin."""
    cc = find_compiler()
    args = [cc, "-E", "-std=c99", "-nostdinc", "-I", pycparser_fake_libc.directory,
            "-D__attribute__(x)=", "-D__restrict=restrict", "-D__restrict__=restrict",
            "-D__inline=inline", "-D__inline__=inline", "-D__extension__=", "-D__asm__(x)=",
            "-D__const=const", "-D__volatile__=volatile"]
    if path is not None:
        args += ["-I", str(path.parent), str(path)]
        stdin = None
    else:
        args += ["-x", "c", "-"]
        stdin = source
    try:
        proc = subprocess.run(args, input=stdin, capture_output=True, text=True, timeout=60)
    except subprocess.TimeoutExpired:
        raise TensorliftError("C preprocessing did not finish within 60 s") from None
    if proc.returncode != 0:
        first = next((ln for ln in proc.stderr.splitlines() if "error" in ln), proc.stderr.strip()[:200])
        raise TensorliftError(f"C preprocessing failed: {first}")
    return proc.stdout


def read_source(source: Union[str, Path]) -> tuple[str, Optional[Path]]:
    """A path to a .c file, or C source text itself."""
    if isinstance(source, Path) or ("\n" not in source and source.strip().endswith((".c", ".h"))):
        path = Path(source)
        try:
            return path.read_text(errors="replace"), path.resolve()
        except OSError as e:
            raise TensorliftError(f"cannot read {path}: {e.strerror}") from None
    return source, None


def parse_file(source: Union[str, Path]) -> tuple[c_ast.FileAST, str, Optional[Path]]:
    text, path = read_source(source)
    pre = preprocess(text, path)
    try:
        ast = c_parser.CParser().parse(pre, filename=str(path) if path else "<stdin>")
    except Exception as e:  # pycparser raises ParseError and, on odd input, others
        msg = str(e).splitlines()[0] if str(e) else type(e).__name__
        raise TensorliftError(f"C parse error: {msg}") from None
    return ast, text, path


def function_defs(ast: c_ast.FileAST) -> dict[str, c_ast.FuncDef]:
    return {ext.decl.name: ext for ext in ast.ext if isinstance(ext, c_ast.FuncDef)}


def load_kernel(source: Union[str, Path], function: Optional[str] = None) -> Kernel:
    """Parse C and pick the kernel: the named function, else the last one defined."""
    ast, text, path = parse_file(source)
    funcs = function_defs(ast)
    if not funcs:
        raise TensorliftError("no function definition found in the input")
    if function is None:
        function = list(funcs)[-1]
    elif function not in funcs:
        raise TensorliftError(f"function '{function}' not found (defined: {', '.join(funcs)})")
    node = funcs[function]
    types = TypeResolver(ast)
    fdecl = node.decl.type
    params: list[tuple[str, CType]] = []
    for p in (fdecl.args.params if fdecl.args else []):
        if isinstance(p, c_ast.EllipsisParam):
            raise UnsupportedConstruct("variadic function", _line(p))
        if p.name is None:  # `void` parameter list
            continue
        t = types.resolve(p.type)
        params.append((p.name, Pointer(t.elem) if isinstance(t, Array) else t))
    return Kernel(function, node, params, types.resolve(fdecl.type), funcs, text, path, types)
