#!/usr/bin/env python3
"""Static checks of the kernel corpus: every kernel has a well-formed sidecar expectation
(`<name>.expect.json`) and every sidecar a kernel, programs read with tensorlift's TACO parser
(its extended notation included) and use only the kernel's names at their orders, `plain` says
what the program is (every statement plain in tensorlift's sense, `Statement.plain`), every
kernel compiles, the counts are met.

Usage: python corpus/check_corpus.py [--cc gcc] [--cxx g++]
Exit status 0 when clean; every problem is printed as `path: message`.
"""
from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
from pathlib import Path

CORPUS = Path(__file__).resolve().parent
sys.path[:0] = [str(CORPUS), str(CORPUS.parent)]
sys.dont_write_bytecode = True  # keep the corpus free of __pycache__ directories

from benchmarks.corpus import EXPECT_SUFFIX, expectation_path, kernel_files  # noqa: E402
from tensorlift import carith  # noqa: E402
from tensorlift.c.affine import parse_affine  # noqa: E402
from tensorlift.errors import TensorliftError  # noqa: E402
from tensorlift.taco.ir import Access, Program, accesses, children, extension_used, index_names  # noqa: E402
from tensorlift.taco.parse import parse_program  # noqa: E402

CATEGORIES = ("blas", "dsp", "darknet", "mathfu", "dspstone", "utdsp", "simple",
              "taco", "polybench", "blend", "llama", "cpp")
CPP_SUFFIXES = (".cc", ".cpp")
MIN_KERNELS = 66
MIN_PLAIN = 52
MIN_TIED = 2

TOP_KEYS = {"function", "plain", "program", "params", "returns", "tied_sizes"}
OPTIONAL_KEYS = {"denominators", "sizes"}
SIZE_DTYPE = "uint64"   # a C++ size (`x.size()`, a size_t) used in a program
ACCESS = {"read", "write", "readwrite"}
ROLES = {"dimension", "stride", "value"}
# a parameter name: an identifier, or struct fields with constant subscripts
NAME_RE = re.compile(r"[A-Za-z_]\w*(?:\.[A-Za-z_]\w*(?:\[\d+\])?)*")


def check_shape_expr(expr: str, dims: set[str]) -> list[str]:
    """An affine expression over dimension names and integers, e.g. `n+ntaps-1`."""
    try:
        names = parse_affine(str(expr)).names
    except ValueError:
        return [f"bad shape expression {expr!r}"]
    return [f"shape {expr!r} uses {n!r}, not a dimension scalar" for n in sorted(names - dims)]


def check_size_order(sizes: list[str], shapes: list[tuple[str, list]]) -> list[str]:
    """C++ sizes are named in order of first appearance: parameters in order, then the
    returned array, each shape outer extent first."""
    seen: list[str] = []
    for _, shape in shapes:
        for s in shape:
            seen += [n for n in sorted(parse_affine(str(s)).names) if n in sizes and n not in seen]
    if seen != sizes:
        unused = [n for n in sizes if n not in seen]
        return [f"sizes {unused} appear in no shape" if unused else
                f"sizes must be numbered in order of first appearance in the shapes: {seen}"]
    return []


def index_expressions(e):
    """Every index of every access in `e` that is an expression, not a plain variable."""
    for a in accesses(e):
        yield from (i for i in a.indices if not isinstance(i, str))


def domain_names(e) -> set[str]:
    """The names a domain (`j <= i`, `i < n - 1`) uses: index variables and sizes."""
    if isinstance(e, Access):
        return {e.name} | {n for i in e.indices for n in index_names(i)}
    return {n for c in children(e) for n in domain_names(c)}


def not_plain(program: Program) -> list[str]:
    """Why a program is not plain (empty: it is): what tensorlift's `Statement.plain` refuses."""
    return [f"{why} in `{st}`" for st in program.statements if (why := extension_used(st))]


def check_program(exp: dict) -> list[str]:
    try:
        program = parse_program(exp["program"])
    except TensorliftError as e:
        return [f"program does not read: {e}"]
    if not isinstance(program, Program):
        return ["program has cases (`if ...:`); a sidecar holds one program"]
    errs = []
    params = {p["name"]: p for p in exp["params"]}
    result = exp["function"] if exp["returns"] else None
    sizes = set(exp.get("sizes", []))
    dims = {n for n, p in params.items() if p["kind"] == "scalar" and p["role"] == "dimension"} | sizes
    orders = {n: len(p["shape"]) if p["kind"] == "array" else 0 for n, p in params.items()}
    orders.update({n: 0 for n in sizes})
    if result:
        orders[result] = len(exp["returns"].get("shape", []))
    used = {a.name for st in program.statements for a in [st.lhs, *accesses(st.rhs)]}
    for name in sorted(used - set(params) - sizes - {result}):
        errs.append(f"program uses unknown name {name!r}")
    for st in program.statements:
        p = params.get(st.lhs.name)
        if st.lhs.name != result and (p is None or p["kind"] != "array" or p["access"] == "read"):
            errs.append(f"statement {st} assigns to {st.lhs.name!r}, not an output")
        if not all(isinstance(i, str) for i in st.lhs.indices):
            errs.append(f"statement {st} has an index expression on the left")
        variables = {i for i in st.lhs.indices if isinstance(i, str)}
        variables |= {i for a in accesses(st.rhs) for i in a.indices if isinstance(i, str)}
        # a name in an index expression is a variable, or a size (a dimension scalar)
        for ix in index_expressions(st.rhs):
            for n in sorted(set(index_names(ix)) - variables):
                if n in params and n not in dims:
                    errs.append(f"index {ix} in {st} uses {n!r}, not a dimension scalar")
                elif n not in params and n not in sizes:
                    errs.append(f"index {ix} in {st} uses {n!r}, which no plain index bounds")
        if st.domain is not None:
            for n in sorted(domain_names(st.domain) - set(st.lhs.indices) - dims):
                errs.append(f"the domain of {st} uses {n!r}: only the left side's variables and sizes")
    for st in program.statements:
        for n in [st.lhs, *accesses(st.rhs)]:
            if n.name in orders:
                order = orders[n.name]
                if len(n.indices) != order:
                    errs.append(f"{n} has {len(n.indices)} indices, {n.name} has order {order}")
    if result and not any(st.lhs.name == result for st in program.statements):
        errs.append("function returns a value but no statement defines it")
    why = not_plain(program)
    if exp["plain"] and why:
        errs.append(f"marked plain but has {'; '.join(why)}")
    if exp["plain"] is False and not why:
        errs.append("marked not plain but every statement is plain")
    return errs


def check_expectation(exp: dict, cpp: bool = False) -> list[str]:
    """Problems of one expectation; `cpp` for a C++ kernel (`sizes`, returned arrays)."""
    errs = []
    keys = set(exp)
    if TOP_KEYS - keys:
        errs.append(f"missing keys {sorted(TOP_KEYS - keys)}")
    if keys - TOP_KEYS - OPTIONAL_KEYS:
        errs.append(f"unknown keys {sorted(keys - TOP_KEYS - OPTIONAL_KEYS)}")
    if errs:
        return errs
    if not isinstance(exp["function"], str) or not exp["function"].isidentifier():
        errs.append("function must be a C identifier")
    if not isinstance(exp["plain"], bool):
        errs.append("plain must be true or false")
    if not isinstance(exp["program"], str) or not exp["program"].strip():
        return errs + ["program must be a non-empty string"]
    ret = exp["returns"]
    ret_keys = ({"dtype"}, {"dtype", "shape"}) if cpp else ({"dtype"},)
    if ret is not None and (not isinstance(ret, dict) or set(ret) not in ret_keys
                            or ret["dtype"] not in carith.DTYPES):
        errs.append(f"returns must be null or {{\"dtype\": one of {', '.join(carith.DTYPES)}}}"
                    + (" with an optional \"shape\" (a returned array)" if cpp else ""))
    elif ret is not None and not isinstance(ret.get("shape", []), list):
        errs.append("returns: shape must be a list")
    sizes = exp.get("sizes", [])
    if "sizes" in exp and not cpp:
        errs.append("sizes is for C++ kernels (extents from .size()); C sizes are parameters")
    elif "sizes" not in exp:
        pass
    elif not isinstance(sizes, list) or not sizes or any(not isinstance(n, str) for n in sizes):
        errs.append("sizes must be a non-empty list of names (leave it out when there are none)")
        sizes = []
    elif sizes != [f"n{k}" for k in range(len(sizes))]:
        errs.append(f"sizes must be named n0, n1, ... in order, not {sizes}")

    names, dims = [], set()
    for p in exp["params"]:
        name = p.get("name")
        names.append(name)
        if p.get("kind") == "scalar":
            want = {"name", "kind", "dtype", "role"}
            if p.get("role") not in ROLES:
                errs.append(f"{name}: bad role {p.get('role')!r}")
            if "macro" in p:       # a size given by a macro: its value in the file
                want.add("macro")
                if p.get("role") != "dimension" or type(p["macro"]) is not int or p["macro"] <= 0:
                    errs.append(f"{name}: macro must be a positive integer on a dimension scalar")
            if p.get("role") == "dimension":
                dims.add(name)
        elif p.get("kind") == "array":
            want = {"name", "kind", "dtype", "access", "shape"}
            if p.get("access") not in ACCESS:
                errs.append(f"{name}: bad access {p.get('access')!r}")
            if not isinstance(p.get("shape"), list):
                errs.append(f"{name}: shape must be a list")
        else:
            errs.append(f"{name}: bad kind {p.get('kind')!r}")
            continue
        if set(p) != want:
            errs.append(f"{name}: keys {sorted(p)} should be {sorted(want)}")
        if p.get("dtype") not in carith.DTYPES:
            errs.append(f"{name}: bad dtype {p.get('dtype')!r}")
        if not isinstance(name, str) or not NAME_RE.fullmatch(name):
            errs.append(f"bad parameter name {name!r}")
    if len(set(names)) != len(names):
        errs.append("duplicate parameter names")
    errs += [f"size {n!r} is also a parameter" for n in sizes if n in names]
    dims |= set(sizes)
    shapes = [(p["name"], p["shape"]) for p in exp["params"]
              if p.get("kind") == "array" and isinstance(p.get("shape"), list)]
    if isinstance(ret, dict) and isinstance(ret.get("shape"), list):
        shapes.append(("returns", ret["shape"]))
    for name, shape in shapes:
        for s in shape:
            errs += [f"{name}: {e}" for e in check_shape_expr(s, dims)]
    if sizes and not errs:
        errs += check_size_order(sizes, shapes)

    tied = exp["tied_sizes"]
    if not isinstance(tied, list) or any(not isinstance(t, list) or len(t) < 2 for t in tied):
        errs.append("tied_sizes must be a list of lists of at least two names")
    else:
        errs += [f"tied size {n!r} is not a dimension scalar" for t in tied for n in t if n not in dims]
    for d in exp.get("denominators", []):
        if d not in names:
            errs.append(f"denominator {d!r} is not a parameter")
    return errs + (check_program(exp) if not errs else [])


def compile_ok(path: Path, cc: str) -> str | None:
    std = ["-std=c++17"] if path.suffix in CPP_SUFFIXES else []
    cmd = [cc, *std, "-c", "-O2", "-Wall", "-Werror", "-I", str(path.parent), "-o", "/dev/null", str(path)]
    r = subprocess.run(cmd, capture_output=True, text=True)
    return None if r.returncode == 0 else (r.stderr.strip() or "compiler failed")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cc", default="gcc")
    ap.add_argument("--cxx", default="g++")
    args = ap.parse_args(argv)

    problems, per_cat, plain, nonplain, tied = [], {}, [], [], []
    files = kernel_files(CORPUS)
    known = {expectation_path(f) for f in files}
    for side in sorted(CORPUS.rglob(f"*{EXPECT_SUFFIX}")):
        if side not in known:
            problems.append(f"{side.relative_to(CORPUS)}: no kernel file beside it")
    for path in files:
        rel = path.relative_to(CORPUS)
        cat = rel.parts[0]
        if cat not in CATEGORIES or len(rel.parts) != 2:
            problems.append(f"{rel}: not in one of the categories {', '.join(CATEGORIES)}")
        side = expectation_path(path)
        try:
            exp = json.loads(side.read_text())
        except FileNotFoundError:
            problems.append(f"{rel}: no expectation {side.name}")
            continue
        except json.JSONDecodeError as e:
            problems.append(f"{side.relative_to(CORPUS)}: not JSON: {e}")
            continue
        if not isinstance(exp, dict):
            problems.append(f"{side.relative_to(CORPUS)}: not a JSON object")
            continue
        if "tensorlift-expect" in path.read_text():
            problems.append(f"{rel}: an expectation block in the kernel file (the model reads it)")
        problems += [f"{rel}: {e}" for e in check_expectation(exp, path.suffix in CPP_SUFFIXES)]
        err = compile_ok(path, args.cc if path.suffix == ".c" else args.cxx)
        if err:
            problems.append(f"{rel}: does not compile:\n{err}")
        per_cat[cat] = per_cat.get(cat, 0) + 1
        (plain if exp.get("plain") is True else nonplain).append(str(rel))
        if exp.get("tied_sizes"):
            tied.append(str(rel))

    total = sum(per_cat.values())
    for cat in CATEGORIES:
        if not per_cat.get(cat):
            problems.append(f"category {cat!r} has no kernels")
    if total < MIN_KERNELS:
        problems.append(f"{total} kernels, want at least {MIN_KERNELS}")
    if len(plain) < MIN_PLAIN:
        problems.append(f"{len(plain)} plain kernels, want at least {MIN_PLAIN}")
    if len(tied) < MIN_TIED:
        problems.append(f"{len(tied)} kernels with tied sizes, want at least {MIN_TIED}")

    print("kernels per category: " + ", ".join(f"{c} {per_cat.get(c, 0)}" for c in CATEGORIES))
    print(f"total {total}, plain {len(plain)}, not plain {len(nonplain)}, tied sizes {len(tied)}")
    for p in problems:
        print(p)
    print("OK" if not problems else f"{len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
