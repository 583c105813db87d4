"""C and C++ front end: libclang parses the file with the user's flags and the real system
headers; this module turns the function asked for, and what it calls and uses, into the
kernel AST (`ast.py`). Nothing after this stage sees libclang.

Inputs: a path (`.c`/`.h` are C; `.cc`/`.cpp`/`.cxx` are C++; `-x` overrides) or source text.
Anything else is refused with one line: a missing path, a directory, a binary file, a name
without a C suffix, a file that does not parse (with the compiler's first error, file and
line), a file without functions.
"""
from __future__ import annotations

import struct
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional, Union

from ..errors import TensorliftError, UnsupportedConstruct
from . import ast as A
from .clang import binary_operator, builtin_headers, ci, evaluate, missing_headers_hint, spelled_at, unary_operator, var_init
from .interp import known_function
from .nodes import normalised
from .flags import include_roots

SUFFIXES = {".c": "c", ".h": "c", ".cc": "c++", ".cpp": "c++", ".cxx": "c++", ".c++": "c++",
            ".hpp": "c++", ".hh": "c++", ".hxx": "c++"}
K = ci.CursorKind
T = ci.TypeKind

_SCALARS = {T.BOOL: "bool", T.CHAR_S: "int8", T.SCHAR: "int8", T.CHAR_U: "uint8", T.UCHAR: "uint8",
            T.SHORT: "int16", T.USHORT: "uint16", T.INT: "int", T.UINT: "uint32", T.LONG: "int64",
            T.ULONG: "uint64", T.LONGLONG: "int64", T.ULONGLONG: "uint64", T.FLOAT: "float",
            T.DOUBLE: "double", T.CHAR16: "uint16", T.CHAR32: "uint32", T.WCHAR: "int"}
_ARRAYS = (T.CONSTANTARRAY, T.VARIABLEARRAY, T.INCOMPLETEARRAY, T.DEPENDENTSIZEDARRAY)
_STATEMENT_NAMES = {"SWITCH_STMT": "switch statement", "GOTO_STMT": "goto", "LABEL_STMT": "goto label",
                    "ASM_STMT": "inline assembly", "MS_ASM_STMT": "inline assembly",
                    "INDIRECT_GOTO_STMT": "goto", "CXX_TRY_STMT": "try block"}
_EXPRESSION_NAMES = {"COMPOUND_LITERAL_EXPR": "compound literal", "LAMBDA_EXPR": "lambda",
                     "CXX_NEW_EXPR": "new", "CXX_DELETE_EXPR": "delete", "CXX_THIS_EXPR": "this",
                     "STRING_LITERAL": "string literal", "ADDR_LABEL_EXPR": "address of a label",
                     "CXX_THROW_EXPR": "throw", "CXX_TYPEID_EXPR": "typeid"}
ASSERT_FAILS = {"__assert_fail", "__assert", "__assert_rtn", "_assert", "__builtin_trap", "abort"}
"""What a failed assert calls: the arguments (file name, message) are not computed."""
_VECTOR_METHODS = {"size", "push_back", "emplace_back", "resize", "back", "front", "clear",
                   "at", "empty", "reserve", "data", "assign"}


# ---------------------------------------------------------------- reading input


def read_source(source: Union[str, Path], language: Optional[str] = None) -> tuple[str, Optional[Path], str]:
    """(text, path or None, language) of a path or of C source text."""
    if isinstance(source, str) and ("\n" in source or "{" in source or ";" in source):
        return source, None, language or "c"
    path = Path(source)
    if not path.exists():
        raise TensorliftError(f"no such file: {path}")
    if path.is_dir():
        raise TensorliftError(f"{path} is a directory; give a C file (bench takes directories)")
    lang = language or SUFFIXES.get(path.suffix) or SUFFIXES.get(path.suffix.lower())
    if lang is None:
        raise TensorliftError(f"{path} is not named like C or C++ source (.c, .h, .cc, .cpp, .cxx); "
                              "give -x c or -x c++ to read it anyway")
    try:
        data = path.read_bytes()
    except OSError as e:
        raise TensorliftError(f"cannot read {path}: {e.strerror}") from None
    if b"\0" in data[:65536]:
        raise TensorliftError(f"{path} is a binary file, not C source")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = data.decode("latin-1")
    return text, path.resolve(), lang


# ---------------------------------------------------------------- parsing


@dataclass
class Unit:
    """A parsed file: its functions by name (converted on demand), for choosing kernels."""
    tu: object
    text: str
    path: Optional[Path]
    language: str
    flags: list[str]
    defs: dict = field(default_factory=dict)          # name -> FUNCTION_DECL cursor (definitions)
    templates: set = field(default_factory=set)       # function templates never instantiated
    project: Optional[object] = None                  # the project's other files (c/project.py)

    @property
    def main_file(self) -> str:
        return str(self.path) if self.path else _TEXT_NAME[self.language]

    def functions(self) -> list[str]:
        """Functions defined in the file itself or in source files it includes (a template
        body included once per type), not in headers, in source order."""
        return [n for n, c in self.defs.items() if _in_file(c, self.main_file) or _included_source(c)]

    def definition(self, name: str) -> Optional[tuple["Unit", object]]:
        """The unit and cursor of the body of a function the file calls: its own (not a
        system header's), else one in another file of the project."""
        c = self.defs.get(name)
        if c is not None and not c.location.is_in_system_header:
            return self, c
        return self.project.definition(name, self.path) if self.project is not None else None

    def kernel(self, name: str) -> A.Kernel:
        if name not in self.defs:
            if name in self.templates:
                raise TensorliftError(f"'{name}' is a template that is never instantiated; "
                                      "lift a function with concrete types")
            raise TensorliftError(f"function '{name}' not found (defined: {', '.join(self.functions()) or 'none'})")
        return normalised(_Converter(self).kernel(name))

    def candidates(self) -> list[str]:
        """The functions worth lifting: defined in this file, not `main`, and taking or
        returning arrays (pointers, arrays, vectors, structs holding them) or using global
        arrays. A file whose one function takes none is still its kernel (`int add(int b,
        int c)`): the user gave the file for it."""
        names = [n for n in self.functions() if n != "main"]
        out = []
        for name in names:
            c = self.defs[name]
            types = [a.type for a in c.get_arguments()] + [c.result_type]
            if any(_array_like(t) for t in types) or _uses_global_array(c):
                out.append(name)
        return out or (names if len(names) == 1 else [])


_TEXT_NAME = {"c": "input.c", "c++": "input.cpp"}


def _in_file(cursor, name: str) -> bool:
    f = cursor.location.file
    return f is not None and f.name == name


def _included_source(cursor) -> bool:
    f = cursor.location.file
    return f is not None and not cursor.location.is_in_system_header and \
        Path(f.name).suffix.lower() in (".c", ".cc", ".cpp", ".cxx")


def _array_like(t, depth: int = 0) -> bool:
    """A pointer, an array, a std container, or a struct (by value or through a pointer)
    with a field that is one (darknet's `matrix`, a DSP library's `mat_f32 *`)."""
    t = t.get_canonical()
    if t.kind in (T.LVALUEREFERENCE, T.RVALUEREFERENCE):
        t = t.get_pointee().get_canonical()
    if t.kind == T.POINTER and t.get_pointee().get_canonical().kind == T.RECORD:
        t = t.get_pointee().get_canonical()
    elif t.kind == T.POINTER or t.kind in _ARRAYS:
        return True
    if t.kind != T.RECORD:
        return False
    return _std_container(t) is not None or \
        depth < 4 and any(_array_like(f.type, depth + 1) for f in t.get_fields())


def _at_file_scope(decl) -> bool:
    """A variable declared outside every function (in a namespace or `extern "C"` too)."""
    parent = decl.semantic_parent
    return parent is not None and parent.kind in (K.TRANSLATION_UNIT, K.NAMESPACE, K.LINKAGE_SPEC)


def _uses_global_array(func) -> bool:
    for c in func.walk_preorder():
        if c.kind == K.DECL_REF_EXPR:
            r = c.referenced
            if r is not None and r.kind == K.VAR_DECL and _at_file_scope(r) \
                    and r.type.get_canonical().kind in _ARRAYS:
                return True
    return False


def _std_container(t) -> Optional[str]:
    """"vector" or "array" for std::vector<T> / std::array<T, N>, else None."""
    decl = t.get_declaration()
    if decl is None or decl.spelling not in ("vector", "array"):
        return None
    p = decl.semantic_parent
    while p is not None and p.kind == K.NAMESPACE and p.spelling != "std":
        p = p.semantic_parent
    return decl.spelling if p is not None and p.spelling == "std" else None


def parse(source: Union[str, Path], flags: Optional[list[str]] = None, language: Optional[str] = None,
          project=None) -> Unit:
    """`project`: the project's other files (`c/project.py`), where calls into them are
    followed."""
    text, path, lang = read_source(source, language)
    args = list(flags or [])
    if "-x" in args:
        lang = args[args.index("-x") + 1] if args.index("-x") + 1 < len(args) else lang
        args = [a for i, a in enumerate(args) if a != "-x" and (i == 0 or args[i - 1] != "-x")]
    std = [a for a in args if a.startswith("-std=")]
    if lang == "c++" and not std:
        args.append("-std=c++17")
    clang_args = ["-x", lang, *args, *builtin_headers(), "-w"]
    name = str(path) if path else _TEXT_NAME[lang]
    unsaved = None if path else [(name, text)]
    try:
        tu = ci.Index.create().parse(name, args=clang_args, unsaved_files=unsaved,
                                     options=ci.TranslationUnit.PARSE_DETAILED_PROCESSING_RECORD)
    except ci.TranslationUnitLoadError as e:
        raise TensorliftError(f"libclang could not read {name}: {e}") from None
    errors = [d for d in tu.diagnostics if d.severity >= ci.Diagnostic.Error]
    if errors:
        d = errors[0]
        file = d.location.file.name if d.location.file else name
        where = f"{file}:{d.location.line}:{d.location.column}"
        hint = " (add -I DIR, or a compile_commands.json, for the project's headers)" \
            if "file not found" in d.spelling else missing_headers_hint(file)
        what = "C++" if lang == "c++" else "C"
        raise TensorliftError(f"{what} parse error: {where}: {d.spelling}{hint}")
    unit = Unit(tu, text, path, lang, args, project=project)
    _collect(tu.cursor, unit)
    if not unit.functions():
        if unit.templates:
            raise TensorliftError(f"{', '.join(sorted(unit.templates))}: a template that is never instantiated; "
                                  "lift a function with concrete types")
        raise TensorliftError(f"no function definition found in {name}")
    return unit


def _collect(cursor, unit: Unit) -> None:
    for c in cursor.get_children():
        if c.kind in (K.FUNCTION_DECL, K.CXX_METHOD) and c.is_definition():
            unit.defs.setdefault(c.spelling, c)
        elif c.kind == K.FUNCTION_TEMPLATE and _in_file(c, unit.main_file):
            unit.templates.add(c.spelling)
        elif c.kind in (K.NAMESPACE, K.LINKAGE_SPEC, K.UNEXPOSED_DECL):
            _collect(c, unit)


def load_kernel(source: Union[str, Path], function: Optional[str] = None,
                flags: Optional[list[str]] = None, language: Optional[str] = None, project=None) -> A.Kernel:
    """The named function of a file or text; without a name, the file's one kernel (a file
    with several must name one)."""
    unit = parse(source, flags, language, project)
    if function is None:
        cands = unit.candidates()
        if len(cands) != 1:
            listed = cands or [f for f in unit.functions() if f != "main"]
            raise TensorliftError(f"{len(listed)} functions to choose from ({', '.join(listed) or 'none'}); "
                                  "name one with --function")
        function = cands[0]
    return unit.kernel(function)


# ---------------------------------------------------------------- conversion


def _line(c) -> int:
    try:
        return c.location.line
    except Exception:
        return 0


def _qualified(c) -> str:
    """The name C++ code outside the function's namespaces uses (`k::vadd`); an anonymous
    namespace adds nothing (its members are visible in the file)."""
    parts = [c.spelling]
    p = c.semantic_parent
    while p is not None and p.kind in (K.NAMESPACE, K.CLASS_DECL, K.STRUCT_DECL):
        if p.spelling:
            parts.append(p.spelling)
        p = p.semantic_parent
    return "::".join(reversed(parts))


def _early_returns(items: list) -> list:
    """`if (c) return a; rest` as `if (c) return a; else { rest }`: the same program, in
    which a condition on data has a value on each branch (the verifier merges the two)."""
    for k, s in enumerate(items):
        if isinstance(s, A.If) and k + 1 < len(items) and _ends_in_return(s.then):
            rest = _early_returns(items[k + 1:])
            other = A.Block(items[k + 1].line, ([s.other] if s.other is not None else []) + rest, scoped=False)
            return items[:k] + [A.If(s.line, s.cond, s.then, other)]
    return items


def _ends_in_return(node) -> bool:
    if isinstance(node, A.Return):
        return True
    if isinstance(node, A.Block):
        return bool(node.items) and _ends_in_return(node.items[-1])
    return isinstance(node, A.If) and node.other is not None and _ends_in_return(node.then) \
        and _ends_in_return(node.other)


class _Converter:
    """Builds the kernel AST for one function and everything it reaches."""

    def __init__(self, unit: Unit, shared: Optional["_Converter"] = None):
        """`shared`: a converter of another file whose kernel this one adds functions to
        (a call into another file of the project): the tables are that converter's."""
        self.unit = unit
        self.functions: dict[str, A.Function] = shared.functions if shared else {}
        self.globals: dict[str, A.Global] = shared.globals if shared else {}
        self.structs: dict[str, list] = shared.structs if shared else {}
        self.macros: dict[str, A.Macro] = shared.macros if shared else {}
        self.pending: list[tuple[Unit, str]] = shared.pending if shared else []
        self.sources: dict[str, list[str]] = shared.sources if shared else {}   # other files, with their flags

    def kernel(self, name: str) -> A.Kernel:
        self.pending.append((self.unit, name))
        return self.assemble(name)

    def assemble(self, name: str, region: Optional[A.RegionSource] = None) -> A.Kernel:
        """The kernel of the function `name` (converted, or put in `functions` by the
        caller), once every function it calls is converted."""
        while self.pending:
            unit, f = self.pending.pop()
            if f not in self.functions:
                self.functions[f] = None          # placeholder: recursion stops here
                conv = self if unit is self.unit else _Converter(unit, shared=self)
                self.functions[f] = conv.function(unit.defs[f])
        u = self.unit
        includes = [str(inc.include.name) for inc in u.tu.get_includes()]
        self.globals = dict(sorted(self.globals.items(), key=lambda kv: kv[1].offset))   # declaration order
        return A.Kernel(name, self.functions[name], self.functions, self.globals, self.structs,
                        u.text, u.path, u.language, u.flags, self.macros, includes, region=region,
                        sources=list(self.sources.items()))

    def function(self, c) -> A.Function:
        params = [A.Param(a.spelling, self.decl_type(a), _line(a)) for a in c.get_arguments()]
        if c.type.is_function_variadic():
            raise UnsupportedConstruct(f"variadic function '{c.spelling}'", _line(c))
        body = next((ch for ch in c.get_children() if ch.kind == K.COMPOUND_STMT), None)
        if body is None:
            raise UnsupportedConstruct(f"function '{c.spelling}' without a body", _line(c))
        return A.Function(c.spelling, params, self.type(c.result_type), self.block(body), _line(c),
                          c.type.get_canonical().spelling, _qualified(c))

    # -- types -----------------------------------------------------------------------
    def type(self, t, sizes: Optional[list] = None) -> A.Type:
        """Our type of a clang type. `sizes`: the size expressions written in a declarator,
        outermost first, for its array levels."""
        t = t.get_canonical()
        k = t.kind
        if k in _SCALARS:
            return A.Scalar(_SCALARS[k])
        if k == T.VOID:
            return A.VOID
        if k == T.ENUM:
            return A.INT
        if k == T.POINTER:
            return A.Pointer(self.type(t.get_pointee(), sizes))
        if k in (T.LVALUEREFERENCE, T.RVALUEREFERENCE):
            return A.Ref(self.type(t.get_pointee(), sizes))
        if k in _ARRAYS:
            size = None
            if sizes:
                size, sizes = sizes[0], sizes[1:]
            if k == T.CONSTANTARRAY and not isinstance(size, A.Lit) and \
                    not any(isinstance(e, A.Lit) and e.macro for e in A.walk(size)):
                size = A.Lit(0, t.element_count, A.INT)     # kept when sized by macros (`N + PAD`)
            return A.Array(self.type(t.element_type, sizes), size)
        if k == T.RECORD:
            std = _std_container(t)
            if std is not None:
                elem = self.type(t.get_template_argument_type(0))
                fixed = None
                if std == "array":
                    fixed = t.get_size() // max(1, t.get_template_argument_type(0).get_size())
                return A.Vector(elem, fixed)
            decl = t.get_declaration()
            name = decl.type.spelling or t.spelling       # the declaration's: no const or volatile
            if name not in self.structs:
                self.structs[name] = []
                if decl.kind == K.UNION_DECL:
                    raise UnsupportedConstruct(f"union {name}", _line(decl))
                self.structs[name] = [(f.spelling, self.type(f.type)) for f in t.get_fields()]
            return A.Struct(name)
        if k in (T.FUNCTIONPROTO, T.FUNCTIONNOPROTO):
            return A.FunctionType()
        if k == T.LONGDOUBLE:
            raise UnsupportedConstruct("long double")
        if k in (T.VECTOR, T.EXTVECTOR):
            raise UnsupportedConstruct("a SIMD vector type (intrinsics; the build's -U flags, "
                                       "such as -U __SSE__, may choose the plain C path)")
        raise UnsupportedConstruct(f"type {t.spelling}")

    def decl_type(self, c) -> A.Type:
        """The declared type of a parameter or variable, with its array sizes as expressions
        (clang lists a declarator's size expressions innermost first)."""
        init = var_init(c) if c.kind == K.VAR_DECL else None
        exprs = [ch for ch in c.get_children() if ch.kind.is_expression() and (init is None or ch != init)]
        sizes = [self.expr(e) for e in reversed(exprs)] if exprs else None
        if sizes is not None:
            depth, t = 0, c.type.get_canonical()
            while t.kind in _ARRAYS or (t.kind == T.POINTER and t.get_pointee().get_canonical().kind in _ARRAYS):
                depth += t.kind != T.POINTER and t.kind != T.INCOMPLETEARRAY
                t = (t.get_pointee() if t.kind == T.POINTER else t.element_type).get_canonical()
            sizes = sizes[-depth:] if depth else None
            if c.type.get_canonical().kind == T.INCOMPLETEARRAY and sizes is not None:
                sizes = [None] + sizes
        return self.type(c.type, sizes)

    # -- statements --------------------------------------------------------------------
    def block(self, c) -> A.Block:
        items = []
        for ch in c.get_children():
            s = self.stmt(ch)
            if s is not None:
                items.append(s)
        return A.Block(_line(c), _early_returns(items))

    def stmt(self, c) -> Optional[A.Stmt]:
        k = c.kind
        line = _line(c)
        if k == K.COMPOUND_STMT:
            return self.block(c)
        if k == K.DECL_STMT:
            decls = [self.decl(d) for d in c.get_children() if d.kind == K.VAR_DECL]
            other = [d for d in c.get_children() if d.kind not in (K.VAR_DECL, K.STRUCT_DECL, K.ENUM_DECL,
                                                                     K.TYPEDEF_DECL, K.TYPE_ALIAS_DECL)]
            if other:
                raise UnsupportedConstruct(f"local declaration of a {other[0].kind.name.lower()}", line)
            return A.Block(line, decls, scoped=False) if len(decls) != 1 else decls[0]
        if k == K.NULL_STMT:
            return None
        if k == K.IF_STMT:
            parts = list(c.get_children())
            if len(parts) not in (2, 3) or parts[0].kind == K.DECL_STMT:
                raise UnsupportedConstruct("if with an initialiser", line)
            return A.If(line, self.cond(parts[0]), self.stmt_or_empty(parts[1]),
                        self.stmt_or_empty(parts[2]) if len(parts) == 3 else None)
        if k == K.FOR_STMT:
            return self.for_stmt(c)
        if k == K.WHILE_STMT:
            cond, body = list(c.get_children())
            return A.Loop(line, None, self.cond(cond), None, self.stmt_or_empty(body))
        if k == K.DO_STMT:
            body, cond = list(c.get_children())
            return A.Loop(line, None, self.cond(cond), None, self.stmt_or_empty(body), test_first=False)
        if k == K.CXX_FOR_RANGE_STMT:
            parts = list(c.get_children())
            var = next(p for p in parts if p.kind == K.VAR_DECL)
            body = parts[-1]
            rng = next(p for p in parts if p.kind.is_expression())
            decl = A.Decl(_line(var), var.spelling, self.type(var.type))
            return A.Loop(line, decl, None, None, self.stmt_or_empty(body), over=self.expr(rng))
        if k == K.BREAK_STMT:
            return A.Jump(line, "break")
        if k == K.CONTINUE_STMT:
            return A.Jump(line, "continue")
        if k == K.RETURN_STMT:
            kids = [ch for ch in c.get_children() if ch.kind.is_expression()]
            return A.Return(line, self.expr(kids[0]) if kids else None)
        if k.is_expression():
            return A.ExprStmt(line, self.expr(c))
        raise UnsupportedConstruct(_STATEMENT_NAMES.get(k.name, k.name.lower().replace("_", " ")), line)

    def stmt_or_empty(self, c) -> A.Stmt:
        s = self.stmt(c)
        return s if s is not None else A.Block(_line(c), [])

    def cond(self, c) -> A.Expr:
        if c.kind == K.VAR_DECL:
            raise UnsupportedConstruct("declaration in a condition", _line(c))
        return self.expr(c)

    def for_stmt(self, c) -> A.Loop:
        """clang lists only the parts of `for (init; cond; step)` that are there: the `;`
        tokens of the header tell which is which."""
        kids = list(c.get_children())
        body, parts = kids[-1], kids[:-1]
        semis, depth = [], 0
        for tok in c.get_tokens():
            if tok.spelling in "([{":
                depth += 1
            elif tok.spelling in ")]}":
                depth -= 1
                if depth == 0:
                    break
            elif tok.spelling == ";" and depth == 1:
                semis.append(tok.extent.start.offset)
        slots: list = [None, None, None]
        if len(semis) == 2:
            for p in parts:
                off = p.extent.start.offset
                slots[0 if off < semis[0] else 1 if off < semis[1] else 2] = p
        elif len(parts) == 3:
            slots = parts
        else:
            raise UnsupportedConstruct("a for loop written through a macro", _line(c))
        init, cond, step = slots
        return A.Loop(_line(c), self.stmt(init) if init is not None else None,
                      self.cond(cond) if cond is not None else None,
                      self.expr(step) if step is not None else None, self.stmt_or_empty(body))

    def decl(self, c) -> A.Decl:
        line = _line(c)
        sc = c.storage_class
        t = self.decl_type(c)
        init = var_init(c)
        if sc == ci.StorageClass.STATIC and not c.type.is_const_qualified():
            raise UnsupportedConstruct(f"static local variable '{c.spelling}'", line)
        if sc == ci.StorageClass.EXTERN:
            raise UnsupportedConstruct(f"extern local declaration '{c.spelling}'", line)
        return A.Decl(line, c.spelling, t, self.expr(init) if init is not None else None)

    # -- expressions -------------------------------------------------------------------
    def expr(self, c) -> A.Expr:
        k = c.kind
        line = _line(c)
        if k in (K.PAREN_EXPR,):
            return self.expr(_only(c))
        if k in (K.INTEGER_LITERAL, K.FLOATING_LITERAL, K.CHARACTER_LITERAL, K.CXX_BOOL_LITERAL_EXPR,
                 K.CXX_UNARY_EXPR, K.CXX_NULL_PTR_LITERAL_EXPR):
            return self.literal(c)
        if k == K.DECL_REF_EXPR:
            return self.name(c)
        if k == K.UNEXPOSED_EXPR:
            return self.unexposed(c)
        if k == K.BINARY_OPERATOR:
            op = binary_operator(c)
            left, right = [self.expr(x) for x in c.get_children()]
            if op == "=":
                return A.Assign(line, "=", left, right, self.type(c.type))
            if op == ",":
                return A.Comma(line, [left, right], self.type(c.type))
            return A.Binary(line, op, left, right, self.type(c.type))
        if k == K.COMPOUND_ASSIGNMENT_OPERATOR:
            left, right = [self.expr(x) for x in c.get_children()]
            return A.Assign(line, binary_operator(c), left, right, self.type(c.type))
        if k == K.UNARY_OPERATOR:
            op = unary_operator(c)
            inner = self.expr(_only(c))
            if op == "__extension__":
                return inner
            if op == "?":
                raise UnsupportedConstruct("unary operator", line)
            return A.Unary(line, op, inner, self.type(c.type))
        if k == K.ARRAY_SUBSCRIPT_EXPR:
            base, idx = [self.expr(x) for x in c.get_children()]
            return A.Index(line, base, idx, self.type(c.type))
        if k == K.MEMBER_REF_EXPR:
            kids = list(c.get_children())
            if not kids:
                raise UnsupportedConstruct(f"member '{c.spelling}' of this object (a method or class)", line)
            base = self.expr(kids[0])
            arrow = isinstance(A.strip_ref(base.type), A.Pointer)
            return A.Member(line, base, c.spelling, arrow, self.type(c.type))
        if k == K.CONDITIONAL_OPERATOR:
            a, b, d = [self.expr(x) for x in c.get_children()]
            return A.Cond(line, a, b, d, self.type(c.type))
        if k in (K.CSTYLE_CAST_EXPR, K.CXX_STATIC_CAST_EXPR, K.CXX_FUNCTIONAL_CAST_EXPR,
                 K.CXX_CONST_CAST_EXPR, K.CXX_REINTERPRET_CAST_EXPR):
            inner = [x for x in c.get_children() if x.kind.is_expression()]
            if not inner:
                return A.Construct(line, [], self.type(c.type))
            return A.Cast(line, self.expr(inner[-1]), self.type(c.type))
        if k == K.CALL_EXPR:
            return self.call(c)
        if k.name in ("StmtExpr", "STMT_EXPR"):
            return A.StmtExpr(line, self.block(_only(c)), self.type(c.type))
        if k == K.INIT_LIST_EXPR:
            return A.InitList(line, [self.expr(x) for x in c.get_children()], self.type(c.type))
        raise UnsupportedConstruct(_EXPRESSION_NAMES.get(k.name, k.name.lower().replace("_", " ")), line)

    def literal(self, c) -> A.Expr:
        v = evaluate(c)
        if v is None:
            if c.kind == K.CXX_NULL_PTR_LITERAL_EXPR:
                return A.Lit(_line(c), 0, A.INT)
            raise UnsupportedConstruct("sizeof of a variable-length array" if c.kind == K.CXX_UNARY_EXPR
                                       else "constant expression", _line(c))
        t = self.type(c.type)
        if t == A.Scalar("float") and isinstance(v, float):
            v = _shortest_float32(v)
        return A.Lit(_line(c), v, t, self.macro_of(c))

    def macro_of(self, c) -> Optional[str]:
        """The object-like macro a literal is the value of (`N` for `#define N 64`, also when
        written through `#define SIZE (N*2)`), if any: the literal's own token then lies in the
        macro's definition."""
        at = spelled_at(self.unit.tu, c)
        if at is None:
            return None
        d = ci.Cursor.from_location(self.unit.tu, at)
        if d is None or d.kind != K.MACRO_DEFINITION:
            return None
        body = [t.spelling for t in d.get_tokens()][1:]
        while len(body) >= 3 and body[0] == "(" and body[-1] == ")":
            body = body[1:-1]
        if len(body) == 1 and body[0].isdigit():
            f = d.location.file
            self.macros[d.spelling] = A.Macro(d.spelling, int(body[0]), f.name if f else None,
                                              d.location.line, not self.can_vary(f))
            return d.spelling
        return None

    def can_vary(self, f) -> bool:
        """Whether a macro defined in file `f` can be given other values when compiling: it is
        defined on the command line, in the file itself, or in a header under the file's
        directory or an include directory of the build (which the harness can shadow)."""
        if f is None or (self.unit.path is None and f.name == self.unit.main_file):
            return True
        path = Path(f.name).resolve()
        roots = include_roots(self.unit.flags)
        if self.unit.path is not None:
            roots.append(self.unit.path.parent)
        return path == self.unit.path or any(r in path.parents for r in roots)

    def name(self, c) -> A.Expr:
        r = c.referenced
        line = _line(c)
        if r is None:
            raise UnsupportedConstruct(f"use of '{c.spelling}'", line)
        if r.kind == K.ENUM_CONSTANT_DECL:
            return A.Lit(line, r.enum_value, A.INT)
        if r.kind == K.PARM_DECL:
            return A.Name(line, c.spelling, self.type(c.type), "param")
        if r.kind in (K.FUNCTION_DECL, K.CXX_METHOD):
            return A.Name(line, c.spelling, A.FunctionType(), "function")
        if r.kind == K.VAR_DECL:
            if _at_file_scope(r):
                self.global_var(r)
                return A.Name(line, r.spelling, self.type(c.type), "global")
            return A.Name(line, c.spelling, self.type(c.type), "local")
        raise UnsupportedConstruct(f"use of '{c.spelling}' ({r.kind.name.lower()})", line)

    def global_var(self, r) -> None:
        if r.spelling in self.globals:
            return
        init = var_init(r)
        if init is None:
            d = r.get_definition()
            init = var_init(d) if d is not None else None
        const = r.type.is_const_qualified() or (
            r.type.get_canonical().kind in _ARRAYS and r.type.get_canonical().element_type.is_const_qualified())
        self.globals[r.spelling] = A.Global(r.spelling, self.decl_type(r),
                                            self.expr(init) if init is not None else None, const, _line(r),
                                            r.location.offset, None if _defined(self.unit.tu, r) else _definition(r))

    def unexposed(self, c) -> A.Expr:
        """Implicit conversions and C++ wrappers (temporaries, constructions) are unexposed:
        a conversion becomes a Cast, a decay or a wrapper goes away."""
        kids = [x for x in c.get_children() if x.kind.is_expression() or x.kind == K.UNEXPOSED_EXPR]
        if len(kids) == 1:
            inner = self.expr(kids[0])
            t = self.type(c.type)
            it = A.strip_ref(getattr(inner, "type", t))
            if isinstance(t, A.Scalar) and isinstance(it, A.Scalar) and t != it:
                return A.Cast(_line(c), inner, t, implicit=True)
            if isinstance(t, A.Vector) and c.spelling in ("vector", "array") and not isinstance(it, A.Vector):
                return A.Construct(_line(c), [inner], t)      # vector<T> v(n)
            return inner
        if not kids and c.type.get_canonical().kind == T.RECORD:
            return A.Construct(_line(c), [], self.type(c.type))
        if c.spelling in ("vector", "array") and kids:
            return A.Construct(_line(c), [self.expr(x) for x in kids], self.type(c.type))
        raise UnsupportedConstruct("expression", _line(c))

    def call(self, c) -> A.Expr:
        line = _line(c)
        kids = list(c.get_children())
        t = self.type(c.type) if c.type.kind != T.INVALID else A.VOID
        ref = c.referenced
        if ref is not None and ref.kind == K.CONSTRUCTOR:
            return A.Construct(line, [self.expr(x) for x in kids if x.kind.is_expression()], t)
        if ref is not None and ref.spelling.startswith("operator"):
            return self.operator_call(c, kids, t)
        if ref is not None and ref.kind == K.CXX_METHOD or (kids and kids[0].kind == K.MEMBER_REF_EXPR
                                                             and ref is not None and ref.kind != K.FUNCTION_DECL):
            return self.method(c, kids, t)
        if not kids:
            raise UnsupportedConstruct(f"call of '{c.spelling}'", line)
        callee = callee_name(kids[0])
        if callee is None:
            raise UnsupportedConstruct("call through a function pointer", line)
        if callee in ASSERT_FAILS:
            return A.Call(line, "__assert_fail", [], A.VOID)
        own = callee in self.unit.defs and not self.unit.defs[callee].location.is_in_system_header
        if not own and known_function(callee):
            return A.Call(line, callee, [self.expr(x) for x in kids[1:]], t)    # std::abs, not its body
        found = self.unit.definition(callee)
        if found is None:
            qual = "std::" if ref is not None and ref.semantic_parent is not None \
                and ref.semantic_parent.spelling == "std" else ""
            raise UnsupportedConstruct(f"call of '{qual}{callee}', a library function tensorlift does not model", line)
        args = [self.expr(x) for x in kids[1:]]
        owner = found[0]
        if owner is not self.unit and owner.path is not None:
            self.sources.setdefault(str(owner.path), owner.flags)
        if callee not in self.functions:
            self.pending.append((owner, callee))
        return A.Call(line, callee, args, t)

    def method(self, c, kids, t) -> A.Expr:
        line = _line(c)
        name = c.spelling
        member = kids[0]
        obj_c = next((x for x in member.get_children()), None)
        if obj_c is None:
            raise UnsupportedConstruct(f"method '{name}' of this class", line)
        obj = self.expr(obj_c)
        if not isinstance(A.strip_ref(obj.type), A.Vector) or name not in _VECTOR_METHODS:
            raise UnsupportedConstruct(f"call of method '{name}'", line)
        args = [self.expr(x) for x in kids[1:]]
        if name == "at":
            return A.Index(line, obj, args[0], t)
        return A.Method(line, obj, name, args, t)

    def operator_call(self, c, kids, t) -> A.Expr:
        line = _line(c)
        op = c.referenced.spelling[len("operator"):]
        args = [x for x in kids if not (x.kind == K.UNEXPOSED_EXPR and x.spelling.startswith("operator")
                                        and x.type.get_canonical().kind in (T.POINTER, T.FUNCTIONPROTO))
                and not (x.kind == K.DECL_REF_EXPR and x.spelling.startswith("operator"))]
        vals = [self.expr(x) for x in args]
        if op == "[]" and len(vals) == 2:
            return A.Index(line, vals[0], vals[1], t)
        if op == "=" and len(vals) == 2:
            return A.Assign(line, "=", vals[0], vals[1], t)
        raise UnsupportedConstruct(f"operator{op} of a class", line)


def _defined(tu, var) -> bool:
    """Whether the file defines a variable, not only declares it (`extern`)."""
    d = var.get_definition()
    if d is not None:
        return True
    return any(c.kind == K.VAR_DECL and c.spelling == var.spelling and c.storage_class != ci.StorageClass.EXTERN
               for c in tu.cursor.get_children())


def _definition(var) -> Optional[str]:
    """C that defines a variable the file declares `extern` (TSVC's arrays, declared with
    sizes in a header and defined in another file), its sizes spelled as the declaration
    spells them (`LEN_2D`, which the harness may give other values)."""
    if var.type.get_canonical().kind in (T.FUNCTIONPROTO, T.FUNCTIONNOPROTO, T.INCOMPLETEARRAY):
        return None
    return c_declarator(var, var.spelling) + ";"


def spelled_dims(var) -> list[str]:
    """The sizes of an array variable as its declaration spells them, outermost first
    (`['N', 'M']` for `float t[N][M]`; macros kept, so that other values of them apply)."""
    toks = [t.spelling for t in var.get_tokens()]
    at = max((k for k, t in enumerate(toks) if t == var.spelling and toks[k + 1:k + 2] == ["["]), default=None)
    dims: list[str] = []
    if at is None:
        return dims
    k = at + 1
    while k < len(toks) and toks[k] == "[":
        depth, j = 0, k
        while j < len(toks):
            depth += toks[j] == "["
            depth -= toks[j] == "]"
            if depth == 0:
                break
            j += 1
        dims.append(" ".join(toks[k + 1:j]))
        k = j + 1
    return dims


def c_declarator(var, name: str, decay: bool = False) -> str:
    """C declaring `name` with a variable's type as written (`real_t a[LEN_1D]`, `float *x`,
    `RunState *s`); `decay`: an array as a pointer to its first element (`float (*t)[M]`)."""
    t = var.type
    if t.get_canonical().kind in _ARRAYS:
        dims = spelled_dims(var)
        count = 0
        base = t
        while base.get_canonical().kind in _ARRAYS:
            count += 1
            base = base.element_type if base.kind in _ARRAYS else base.get_canonical().element_type
        if len(dims) != count:
            raise UnsupportedConstruct(f"the sizes of '{var.spelling}' as written", _line(var))
        if decay:
            inner = "".join(f"[{d}]" for d in dims[1:])
            return f"{base.spelling} (*{name}){inner}" if inner else f"{base.spelling} *{name}"
        return f"{base.spelling} {name}{''.join(f'[{d}]' for d in dims)}"
    spelling = t.spelling
    if "(*)" in spelling:
        return spelling.replace("(*)", f"(*{name})", 1)
    if "(" in spelling:
        raise UnsupportedConstruct(f"'{var.spelling}' of type {spelling}", _line(var))
    return f"{spelling} {name}"


def _shortest_float32(v: float) -> float:
    """The decimal a `float` literal was written as (`0.1f` is 0.1, not 0.100000001490116):
    the shortest that rounds to the same single-precision value. Verification treats
    floating point as real arithmetic, so the constant is the one the programmer meant."""
    want = struct.pack("f", v)
    for digits in range(1, 10):
        d = float(f"{v:.{digits}g}")
        if struct.pack("f", d) == want:
            return d
    return v


def _only(c):
    kids = list(c.get_children())
    if len(kids) != 1:
        raise UnsupportedConstruct(f"{c.kind.name.lower()} with {len(kids)} parts", _line(c))
    return kids[0]


def callee_name(c) -> Optional[str]:
    while c.kind in (K.UNEXPOSED_EXPR, K.PAREN_EXPR):
        kids = list(c.get_children())
        if len(kids) != 1:
            return None
        c = kids[0]
    if c.kind == K.DECL_REF_EXPR and c.referenced is not None and c.referenced.kind in (K.FUNCTION_DECL,):
        return c.referenced.spelling
    if c.kind == K.DECL_REF_EXPR and c.referenced is not None and c.referenced.kind == K.FUNCTION_TEMPLATE:
        return c.spelling
    return None
