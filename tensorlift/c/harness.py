"""The compiled harness: the user's file built as its own translation unit, exactly as their
build would (their flags, their `static` functions, their `main`), linked with a generated
`main` that feeds it arguments and prints what it wrote.

Two translation units:
- the user's unit is a two-line file that `#include`s theirs and exports the kernel's address
  (and the addresses of the globals it uses) under `tl_` names, so a `static` kernel or a
  name libc also has (`div`, `index`) changes nothing; their `main` is renamed by a `-D`;
- the harness unit declares only those addresses and calls the kernel through a pointer of its
  prototype (pointers passed as `void *`, structs laid out as the kernel's).

The protocol is binary doubles on stdin and stdout: the number of samples and a timing count,
then for every sample each slot's value (arrays as elements-per-row, rows, then the elements);
the harness answers with the returned value, then every array's elements and the number of
guard bytes around it that the call changed (a store outside the region the analysis fitted).
With a timing count N > 0 it then times the call (best of N batches) and prints
`tensorlift-time <seconds per call> <calls per batch>` on stderr.

Built executables are cached under `$TENSORLIFT_CACHE_DIR/build`, keyed by everything that
goes into them: the sources and headers (content of the file, size and time of each header),
the compiler (path, size, time), the flags and the generated text.
"""
from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from .. import carith
from ..cachedir import default_cache_dir
from ..errors import KernelRunError, TensorliftError, UnsupportedConstruct
from . import ast as A
from .clang import find_compiler
from .flags import include_roots
from .nodes import node_struct
from .slots import Slot, decayed

PROTOCOL = "4"            # bump when the generated text or the protocol changes
GUARD = 16                # elements of guard on each side of every array
TIMING_BATCH = 1e-3       # seconds: a timed batch repeats the call until it lasts at least this
EXAMPLE_OPT = "-O0"
"""Examples run the kernel unoptimised: the fastest compile, and nothing the optimiser could
assume about undefined behaviour changes the results we compare against."""


# ---------------------------------------------------------------- generated text


def _c_type(t: A.Type, kernel: A.Kernel, structs: dict[str, str]) -> str:
    """A C spelling for a parameter, return or field type in the harness unit."""
    t = A.strip_ref(t)
    if isinstance(t, A.Scalar):
        return carith.C_NAMES[t.dtype]
    if isinstance(t, A.Void):
        return "void"
    if isinstance(t, (A.Pointer, A.FunctionType)):
        return "void *"
    if isinstance(t, A.Struct):
        return f"struct {_struct(t, kernel, structs)}"
    raise UnsupportedConstruct(f"a parameter or field of type {type(t).__name__.lower()} in the harness")


def _struct(t: A.Struct, kernel: A.Kernel, structs: dict[str, tuple]) -> str:
    """The harness's name of a struct, defined (once) with the kernel's field types."""
    if t.name in structs:
        return structs[t.name][0]
    name = f"tl_s{len(structs)}"
    structs[t.name] = (name, f"struct {name};")
    fields = []
    for fname, ft in kernel.structs.get(t.name, ()):
        if isinstance(ft, A.Array):
            n = ft.size.value if isinstance(ft.size, A.Lit) else 1
            fields.append(f"{_c_type(ft.elem, kernel, structs)} {fname}[{n}];")
        else:
            fields.append(f"{_c_type(ft, kernel, structs)} {fname};")
    structs[t.name] = (name, f"struct {name} {{ {' '.join(fields) or 'char tl_empty;'} }};")
    return name


def user_unit(kernel: A.Kernel, slots: list[Slot], included: str, macros: dict[str, int]) -> str:
    """The user's translation unit: their file, the addresses the harness needs, and a check
    that each size macro has the value it was given (a definition the harness could not
    shadow fails to compile instead of running at the wrong size). In C++ the address is
    taken with the function's exact type (the name may be overloaded) and exported unmangled."""
    if kernel.language == "c++":
        ftype = kernel.function.type_spelling
        lines = [f'#include "{included}"', "#include <type_traits>",
                 'extern "C" void (*const tl_entry)(void);',
                 f"void (*const tl_entry)(void) = reinterpret_cast<void (*)(void)>("
                 f"static_cast<std::add_pointer_t<{ftype}>>(&{kernel.function.qualified or kernel.name}));"]
    else:
        lines = [f'#include "{included}"', *(g.definition for g in kernel.globals.values() if g.definition)]
        if kernel.region is not None:      # the region's statements in a function of its inputs
            lines += [kernel.region.c_text, "void (*const tl_entry)(void) = (void (*)(void))tl_region;"]
        else:
            lines.append(f"void (*const tl_entry)(void) = (void (*)(void)){kernel.name};")
    for s in slots:
        if s.is_global:
            lines.append(f"void *const tl_g_{s.name} = (void *)&{s.name};")
    for name, value in macros.items():
        lines += [f"#if defined({name})", f"typedef char tl_size_{name}[({name}) == {value} ? 1 : -1];", "#endif"]
    return "\n".join(lines) + "\n"


def smoke_sizes(slots: list[Slot], roles: dict[str, str]) -> dict[str, int]:
    """Values of the scalars for the first run, which only checks that the kernel ends:
    dimensions 3, 4, 5, ... and strides far beyond them, as analysis starts."""
    dims = [s.name for s in slots if roles.get(s.name) == "dimension"]
    strides = [s.name for s in slots if roles.get(s.name) == "stride"]
    return {s.name: 3 + dims.index(s.name) if s.name in dims else 50 * (strides.index(s.name) + 2)
            if s.name in strides else 1 for s in slots if s.kind == "scalar"}


def smoke_macros(slots: list[Slot], roles: dict[str, str]) -> dict[str, int]:
    sizes = smoke_sizes(slots, roles)
    return {s.name: sizes[s.name] for s in slots if s.macro}


def _shadowed(kernel: A.Kernel, macros: dict[str, int]) -> tuple[dict[str, str], list[str]]:
    """Sources that give each size macro another value: copies of the files defining them,
    the definition guarded by `#ifndef`, so that `-DN=5` wins. Returns {path in the build
    directory: text} and the include flags that make the compiler find the copies first.
    The user's file is always copied when anything is, so that its own directory is ours."""
    edits: dict[str, list] = {}
    for name in macros:
        m = kernel.macros[name]
        if m.file is not None:
            edits.setdefault(m.file, []).append(m)
    if not edits:
        return {}, []
    main = str(kernel.path) if kernel.path else None
    base = kernel.path.parent if kernel.path else None
    roots = include_roots(kernel.flags)
    files: dict[str, str] = {}
    flags: list[str] = [f"-iquote{base}"] if base else []
    for path, ms in edits.items():
        if main is not None and path != main and base is not None and base in Path(path).parents:
            rel = str(Path(path).relative_to(base))
        elif path == main or main is None:
            rel = None
        else:
            real = Path(path).resolve()
            root = next(r for r in roots if r in real.parents)
            rel = f"tl_include/{real.relative_to(root)}"
            flags.insert(0, "-Itl_include")
        text = Path(path).read_text(errors="replace") if Path(path).exists() else kernel.source
        lines = text.split("\n")
        for m in sorted(ms, key=lambda m: -m.line):
            k = m.line - 1
            lines[k:k + 1] = [f"#ifndef {m.name}", lines[k], "#endif", f'#line {m.line + 1} "{path}"']
        files[rel or "MAIN"] = "\n".join(lines)
    if "MAIN" not in files:
        files["MAIN"] = kernel.source
    return files, flags


def _cxx_type(t: A.Type) -> str:
    if isinstance(t, A.Ref):
        return f"{_cxx_type(t.target)} &"
    if isinstance(t, A.Vector):
        if t.fixed is not None:
            return f"std::array<{_cxx_type(t.elem)}, {t.fixed}>"
        return f"std::vector<{_cxx_type(t.elem)}>"
    if isinstance(t, A.Scalar):
        return carith.C_NAMES[t.dtype] if t.dtype != "bool" else "bool"
    if isinstance(t, A.Void):
        return "void"
    if isinstance(t, A.Pointer):
        return "void *"
    raise UnsupportedConstruct(f"a C++ parameter of type {type(t).__name__.lower()} in the harness")


def harness_unit_cxx(kernel: A.Kernel, slots: list[Slot]) -> str:
    """The C++ harness: vectors built from the samples, passed by value or by reference as
    the kernel takes them; a returned vector printed as rows, columns and elements (-1
    columns when its rows differ in length)."""
    glob = next((s for s in slots if s.is_global), None)
    if glob is not None:
        raise UnsupportedConstruct(f"the global variable '{glob.param}' in a C++ kernel (globals are lifted "
                                   "from C files only)")
    params = [_cxx_type(p.type if isinstance(p.type, A.Ref) else decayed(p.type)) for p in kernel.params]
    out = ["#include <vector>", "#include <array>", "#include <cstdio>", "#include <cstdlib>", "#include <cstring>", "#include <ctime>",
           f"typedef {_cxx_type(kernel.returns)} (*tl_fn)({', '.join(params)});",
           'extern "C" void (*const tl_entry)(void);',
           "static double rd() { double v; if (fread(&v, sizeof v, 1, stdin) != 1) exit(3); return v; }",
           "static void wr(double v) { fwrite(&v, sizeof v, 1, stdout); }",
           "int main() {",
           "  int samples = (int)rd(), timing = (int)rd();",
           "  tl_fn fn = (tl_fn)tl_entry;",
           "  for (int sample = 0; sample < samples; sample++) {"]
    args: dict[str, str] = {}
    arrays = []
    for i, s in enumerate(slots):
        if s.macro or s.size_of or s.is_return:
            continue
        ct = carith.C_NAMES[s.dtype]
        if s.kind == "scalar":
            out.append(f"    {ct} a{i} = ({ct})rd();")
            args[s.param] = f"a{i}"
            continue
        out.append(f"    long n{i} = (long)rd(), r{i} = (long)rd(), e{i} = n{i} * r{i};")
        ptype = next(p.type for p in kernel.params if p.name == s.param)
        if s.vector and s.fixed and s.fixed[0] is not None:          # std::array: its own size
            at = f"v{i}[q / n{i}][q % n{i}]" if s.rows else f"v{i}[q]"
            out += [f"    {_cxx_type(A.strip_ref(ptype))} v{i}{{}};",
                    f"    for (long q = 0; q < e{i}; q++) {at} = ({ct})rd();"]
        elif s.vector and s.rows:
            out += [f"    std::vector<std::vector<{ct}>> v{i}(r{i}, std::vector<{ct}>(n{i}));",
                    f"    for (long q = 0; q < e{i}; q++) v{i}[q / n{i}][q % n{i}] = ({ct})rd();"]
        else:
            out += [f"    std::vector<{ct}> v{i}(e{i} + {0 if s.vector else 1});",
                    f"    for (long q = 0; q < e{i}; q++) v{i}[q] = ({ct})rd();"]
        args[s.param] = f"v{i}" if s.vector else f"v{i}[0]" if isinstance(ptype, A.Ref) else f"(void *)v{i}.data()"
        arrays.append((i, s))
    call = f"fn({', '.join(args.get(p.name, '0') for p in kernel.params)})"
    ret = A.strip_ref(kernel.returns)
    if isinstance(ret, A.Vector):
        nested = isinstance(ret.elem, A.Vector)
        out += [f"    auto ret = {call};",
                "    long rows = (long)ret.size();"]
        if nested:
            out += ["    long cols = rows ? (long)ret[0].size() : 0;",
                    "    for (long q = 0; q < rows; q++) if ((long)ret[q].size() != cols) cols = -1;",
                    "    wr(rows); wr(cols);",
                    "    if (cols >= 0) for (long q = 0; q < rows; q++) for (long c = 0; c < cols; c++) wr((double)ret[q][c]);"]
        else:
            out += ["    wr(rows); wr(1);", "    for (long q = 0; q < rows; q++) wr((double)ret[q]);"]
    elif isinstance(ret, A.Scalar):
        out.append(f"    wr((double){call});")
    else:
        out.append(f"    {call};")
    for i, s in arrays:
        if s.vector and s.rows:
            out.append(f"    for (long q = 0; q < e{i}; q++) wr((double)v{i}[q / n{i}][q % n{i}]);")
        else:
            out.append(f"    for (long q = 0; q < e{i}; q++) wr((double)v{i}[q]);")
        out.append("    wr(0);")
    out.append("    fflush(stdout);")
    out += _timing(call, [f"      auto c{i} = v{i};" for i, _ in arrays],
                   " ".join(f"v{i} = c{i};" for i, _ in arrays))
    out += ["  }", "  return 0;", "}"]
    return "\n".join(out) + "\n"


def harness_unit(kernel: A.Kernel, slots: list[Slot]) -> str:
    if kernel.language == "c++":
        return harness_unit_cxx(kernel, slots)
    structs: dict[str, tuple] = {}
    params = []
    for p in kernel.params:
        t = decayed(p.type)
        if isinstance(t, A.Pointer) and isinstance(t.target, A.Struct):
            _struct(t.target, kernel, structs)
        params.append(_c_type(t, kernel, structs))
    ret = kernel.returns
    ret_c = _c_type(ret, kernel, structs) if not isinstance(ret, A.Pointer) else "void *"
    head = [f"typedef {ret_c} (*tl_fn)({', '.join(params) or 'void'});", "extern void (*const tl_entry)(void);"]
    head += [f"extern void *const tl_g_{s.name};" for s in slots if s.is_global]
    out = [
        "static double rd(void) { double v; if (fread(&v, sizeof v, 1, stdin) != 1) exit(3); return v; }",
        "static void wr(double v) { fwrite(&v, sizeof v, 1, stdout); }",
        "static unsigned char tl_canary[4096];",
        "static long guard_changed(const void *p, size_t bytes) {",
        "  long n = 0; const unsigned char *q = p;",
        "  for (size_t k = 0; k < bytes; k++) n += q[k] != 0xA5;",
        "  return n;",
        "}",
        "int main(void) {",
        "  memset(tl_canary, 0xA5, sizeof tl_canary);",
        "  int samples = (int)rd(), timing = (int)rd();",
        "  tl_fn fn = (tl_fn)tl_entry;",
        "  for (int sample = 0; sample < samples; sample++) {",
    ]
    args: dict[str, str] = {}
    arrays: list[tuple[int, Slot, str]] = []
    nodes: dict[tuple, tuple[str, A.Struct]] = {}
    links = {}          # (param, via, link field) -> how many nodes it points to
    for s in slots:
        for j, (link, k) in enumerate(s.via):
            key = (s.param, s.via[:j], link)
            links[key] = max(links.get(key, 0), k + 1)

    def node(param: str, via: tuple, st: A.Struct) -> str:
        """The harness variable of the struct a path leads to, declared (zeroed, linked from
        its parent) on first use."""
        if (param, via) not in nodes:
            parent = node(param, via[:-1], st)
            link, k = via[-1]
            t = node_struct(kernel, st, via)
            var = f"nd{len(nodes)}"
            lk = f"lk_{parent}_{link}"
            if not any(line.startswith(f"    void *{lk}[") for line in out):
                out.extend([f"    void *{lk}[{links[(param, via[:-1], link)]}];",
                            f"    memset({lk}, 0, sizeof {lk});", f"    {parent}.{link} = (void *){lk};"])
            out.extend([f"    struct {_struct(t, kernel, structs)} {var};", f"    memset(&{var}, 0, sizeof {var});",
                        f"    {lk}[{k}] = &{var};"])
            nodes[(param, via)] = (var, t)
        return nodes[(param, via)][0]

    for i, s in enumerate(slots):
        if s.macro or s.size_of:
            continue              # given when compiling, or the size of a vector
        p = next((q for q in kernel.params if q.name == s.param), None)
        holder = None
        if s.field is not None:
            pt = decayed(p.type)
            st = pt.target if isinstance(pt, A.Pointer) else pt
            var = f"st_{s.param}"
            if s.param not in args:
                out += [f"    struct {_struct(st, kernel, structs)} {var};",
                        f"    memset(&{var}, 0, sizeof {var});"]
                args[s.param] = f"&{var}" if isinstance(pt, A.Pointer) else var
                nodes[(s.param, ())] = (var, st)
            holder = f"{node(s.param, s.via, st)}.{s.field}"
            st = node_struct(kernel, st, s.via)
        ct = carith.C_NAMES[s.dtype]
        if s.kind == "scalar":
            value = f"({ct}){s.pinned}" if s.pinned is not None else f"({ct})rd()"
            if s.is_global:
                out.append(f"    *({ct} *)tl_g_{s.name} = ({ct})rd();")
            elif holder is None:
                out.append(f"    {ct} a{i} = ({ct})rd();")
                args[s.param] = f"a{i}"
            elif s.subscript is None:
                out.append(f"    {holder} = {value};")
            else:
                if not isinstance(kernel.field_type(st, s.field), A.Array):   # a pointer: its own buffer
                    out.append(f"    if (!{holder}) {holder} = calloc(64, sizeof({ct}));")
                out.append(f"    (({ct} *){holder})[{s.subscript}] = {value};")
            continue
        out += [f"    long n{i} = (long)rd(), r{i} = (long)rd(), e{i} = n{i} * r{i};"]
        if s.is_global:
            out += [f"    {ct} *b{i} = ({ct} *)tl_g_{s.name};", f"    {ct} *m{i} = 0;"]
        else:
            out += [f"    {ct} *m{i} = malloc((e{i} + 2 * {GUARD}) * sizeof({ct}));",
                    f"    if (!m{i}) exit(4);",
                    f"    memset(m{i}, 0xA5, (e{i} + 2 * {GUARD}) * sizeof({ct}));",
                    f"    {ct} *b{i} = m{i} + {GUARD};"]
        out.append(f"    for (long q = 0; q < e{i}; q++) b{i}[q] = ({ct})rd();")
        ptr = f"b{i}"
        if s.rows:
            out += [f"    {ct} **p{i} = malloc((r{i} + 1) * sizeof({ct} *));",
                    f"    for (long q = 0; q < r{i}; q++) p{i}[q] = b{i} + q * n{i};"]
            ptr = f"p{i}"
        if holder is not None:
            out.append(f"    {holder} = (void *){ptr};")
        elif not s.is_global:
            args[s.param] = f"(void *){ptr}"
        arrays.append((i, s, ct))
    for p in kernel.params:             # a struct passed by value whose fields go unused: zeros
        t = decayed(p.type)
        if p.name not in args and isinstance(t, A.Struct):
            out += [f"    struct {_struct(t, kernel, structs)} st_{p.name};", f"    memset(&st_{p.name}, 0, sizeof st_{p.name});"]
            args[p.name] = f"st_{p.name}"
    call = f"fn({', '.join(args.get(p.name, '0') for p in kernel.params)})"
    if isinstance(ret, A.Scalar):
        out.append(f"    wr((double){call});")
    else:
        out.append(f"    {call};")
    for i, s, ct in arrays:
        out.append(f"    for (long q = 0; q < e{i}; q++) wr((double)b{i}[q]);")
        if s.is_global:
            out.append("    wr(0);")
        else:
            out.append(f"    wr((double)(guard_changed(m{i}, {GUARD} * sizeof({ct})) + "
                       f"guard_changed(b{i} + e{i}, {GUARD} * sizeof({ct}))));")
    out.append("    fflush(stdout);")
    out += _timing(call, [f"      void *c{i} = malloc(e{i} * sizeof({ct}) + 1); memcpy(c{i}, b{i}, e{i} * sizeof({ct}));"
                          for i, _, ct in arrays],
                   " ".join(f"memcpy(b{i}, c{i}, e{i} * sizeof({ct}));" for i, _, ct in arrays))
    for i, s, ct in arrays:
        if not s.is_global:
            out.append(f"    free(m{i});")
    out += ["  }", "  return 0;", "}"]
    includes = ["#include <stdio.h>", "#include <stdlib.h>", "#include <string.h>", "#include <time.h>"]
    return "\n".join(includes + [d for _, d in structs.values()] + head + out) + "\n"   # structs met on the way too


def _timing(call: str, save: list[str], restore: str) -> list[str]:
    """Times the call: batches of `inner` calls, `inner` doubling from 1 until a batch lasts
    TIMING_BATCH, then `timing` batches (the calibrating one counts); every array is restored
    from the copy `save` made (`restore`, untimed) before each batch. The call goes through a
    volatile pointer so that it can be neither inlined nor dropped."""
    return [
        "    if (timing > 0) {",
        "      tl_fn volatile vfn = fn;",
        *save,
        "      double best = 1e300; long inner = 1; int done = 0;",
        "      while (done < timing) {",
        f"        {restore}",
        "        struct timespec t0, t1;",
        "        clock_gettime(CLOCK_MONOTONIC, &t0);",
        f"        for (long q = 0; q < inner; q++) {call.replace('fn(', 'vfn(', 1)};",
        "        clock_gettime(CLOCK_MONOTONIC, &t1);",
        "        double el = (double)(t1.tv_sec - t0.tv_sec) + 1e-9 * (double)(t1.tv_nsec - t0.tv_nsec);",
        f"        if (done == 0 && el < {TIMING_BATCH!r} && inner < (1L << 30)) {{ inner *= 2; continue; }}",
        "        if (el / inner < best) best = el / inner;",
        "        done++;",
        "      }",
        '      fprintf(stderr, "tensorlift-time %.9e %ld\\n", best, inner); fflush(stderr);',
        "    }",
    ]


# ---------------------------------------------------------------- building


def _compiler_id(cc: str) -> str:
    path = shutil.which(cc.split()[0]) or cc
    try:
        st = os.stat(os.path.realpath(path))
        return f"{os.path.realpath(path)}:{st.st_size}:{st.st_mtime_ns}:{cc}"
    except OSError:
        return cc


def _files_id(kernel: A.Kernel) -> str:
    parts = [hashlib.sha256(kernel.source.encode()).hexdigest()]
    for f in kernel.includes + [path for path, _ in kernel.sources]:
        try:
            st = os.stat(f)
            parts.append(f"{f}:{st.st_size}:{st.st_mtime_ns}")
        except OSError:
            parts.append(f)
    return "\n".join(parts)


def slot_key(slots: list[Slot]) -> tuple:
    """What of the slots the generated harness depends on."""
    return tuple((s.name, s.kind, s.dtype, s.rows, s.field, s.subscript, s.is_global, s.via, s.pinned) for s in slots)


@dataclass
class Build:
    """A harness being compiled in the background; `exe()` waits for it."""
    path: Path
    slots: tuple = ()
    macros: dict = field(default_factory=dict)      # the size macros' values it was built with
    thread: Optional[threading.Thread] = None
    error: Optional[BaseException] = None

    def exe(self) -> Path:
        if self.thread is not None:
            self.thread.join()
            self.thread = None
        if self.error is not None:
            raise self.error
        return self.path


def start_build(kernel: A.Kernel, slots: list[Slot], opt: str = EXAMPLE_OPT,
                macros: Optional[dict[str, int]] = None) -> Build:
    """Start compiling the harness for `kernel` with these values of its size macros (or
    find it in the cache)."""
    cxx = kernel.language == "c++"
    cc = find_compiler(cxx)
    macros = dict(macros or {})
    suffix = ".cpp" if cxx else ".c"
    sources, include_flags = _shadowed(kernel, macros)
    if "MAIN" in sources:
        sources[f"tl_main{suffix}"] = sources.pop("MAIN")
        included = f"tl_main{suffix}"
    else:
        included = str(kernel.path) if kernel.path else f"kernel{suffix}"
        if kernel.path is None:
            sources[included] = kernel.source
    user = user_unit(kernel, slots, included, macros)
    harness = harness_unit(kernel, slots)
    defines = [f"-D{n}={v}" for n, v in macros.items()]
    flags = include_flags + _compiling(kernel.flags) + defines
    others = [(path, include_flags + _compiling(fl) + defines) for path, fl in kernel.sources]
    h = hashlib.sha256("\0".join([PROTOCOL, _compiler_id(cc), opt, *flags, user, harness,
                                  *(f"{k}\0{v}" for k, v in sorted(sources.items())),
                                  *(f"{p}\0{' '.join(fl)}" for p, fl in others),
                                  _files_id(kernel)]).encode()).hexdigest()
    target = default_cache_dir() / "build" / h[:2] / h
    build = Build(target, slot_key(slots), macros)
    if target.exists():
        return build

    try:        # the compilers start now: a thread would wait for the GIL while NumPy imports
        tmp, procs, whats = _start_compile(cc, cxx, opt, flags, user, harness, sources, target, others)
    except Exception as e:          # reported when the executable is asked for
        build.error = e
        return build

    def work():
        try:
            _finish_compile(cc, tmp, procs, whats, target)
        except BaseException as e:   # reported when the executable is asked for
            build.error = e
    build.thread = threading.Thread(target=work, daemon=True)
    build.thread.start()
    return build


def _compiling(flags: list[str]) -> list[str]:
    """The build's flags without its optimisation, warning and debug options (ours apply)."""
    return [f for f in flags if not f.startswith(("-O", "-W", "-g"))]


def _start_compile(cc, cxx, opt, flags, user, harness, sources: dict[str, str], target: Path,
                   others: list = ()):
    """The sources written into a fresh directory beside the target, and every unit's compiler
    started: (the directory, the processes, what each compiles). `others`: other files of the
    project that the kernel calls into, each compiled with its own flags and linked in."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix="build-", dir=target.parent))
    except OSError as e:
        raise TensorliftError(f"cannot write to the cache directory {default_cache_dir()}: {e.strerror}") from None
    try:
        for rel, text in sources.items():
            (tmp / rel).parent.mkdir(parents=True, exist_ok=True)
            (tmp / rel).write_text(text)
        suffix = ".cpp" if cxx else ".c"
        (tmp / f"user{suffix}").write_text(user)
        (tmp / f"harness{suffix}").write_text(harness)
        std = [f for f in flags if f.startswith("-std=")] if cxx else ["-std=gnu99"]
        jobs = [
            [cc, "-c", opt, "-w", *flags, "-Dmain=tl_user_main_", "-o", "user.o", f"user{suffix}"],
            [cc, "-c", "-O0" if opt == EXAMPLE_OPT else "-O1", "-w", *std, "-o", "harness.o", f"harness{suffix}"],
        ] + [[cc, "-c", opt, "-w", *fl, f"-Dmain=tl_other_main_{k}", "-o", f"other{k}.o", path]
             for k, (path, fl) in enumerate(others)]
        whats = ["the kernel", "the harness"] + [path for path, _ in others]
        return tmp, [subprocess.Popen(cmd, cwd=tmp, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
                     for cmd in jobs], whats
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def _finish_compile(cc, tmp: Path, procs, whats: list[str], target: Path) -> None:
    """Wait for the compilers, link, and move the executable into place."""
    try:
        errs = [p.communicate(timeout=300)[1] for p in procs]
        for p, err, what in zip(procs, errs, whats):
            if p.returncode != 0:
                line = next((ln for ln in err.splitlines() if "error" in ln), err.strip()[:300])
                size = next((ln.split("tl_size_", 1)[1].split("'")[0].split("’")[0] for ln in err.splitlines()
                             if "tl_size_" in ln), None)
                if size is not None:
                    raise KernelRunError(f"cannot compile the kernel with another value of the size macro "
                                         f"{size}: its definition could not be shadowed")
                raise KernelRunError(f"the compiler rejected {what}: {line.split('error:', 1)[-1].strip()}")
        objects = ["user.o", "harness.o"] + [f"other{k}.o" for k in range(len(procs) - 2)]
        link = subprocess.run([cc, "-o", "harness", *objects, "-lm"], cwd=tmp,
                              capture_output=True, text=True, timeout=300)
        if link.returncode != 0 and ("undefined reference" in link.stderr or "multiple definition" in link.stderr):
            # another function of the file calls something defined elsewhere in its project
            # (the kernel itself calls nothing the front end did not see the body of), or
            # two files of the project both define what the kernel does not use
            link = subprocess.run([cc, "-o", "harness", *objects, "-lm", "-no-pie",
                                   "-Wl,--unresolved-symbols=ignore-in-object-files",
                                   "-Wl,--allow-multiple-definition"], cwd=tmp,
                                  capture_output=True, text=True, timeout=300)
        if link.returncode != 0:
            line = next((ln for ln in link.stderr.splitlines() if "error" in ln or "undefined" in ln),
                        link.stderr.strip()[:300])
            raise KernelRunError(f"linking the kernel failed: {line.strip()}")
        os.replace(tmp / "harness", target)
    except subprocess.TimeoutExpired:
        raise KernelRunError("the compiler did not finish within 300 s") from None
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
