#!/usr/bin/env python3
"""Check the kernel corpus: expectation blocks well formed, every kernel compiles, counts met.

Usage: python corpus/check_corpus.py [--cc gcc]
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
CATEGORIES = ("blas", "dsp", "darknet", "mathfu", "dspstone", "utdsp", "simple",
              "taco", "polybench", "blend", "llama")
MIN_KERNELS = 66
MIN_PLAIN = 52
MIN_TIED = 2

EXPECT_RE = re.compile(r"\A/\* tensorlift-expect\s*\n(.*?)\*/", re.S)
TOP_KEYS = {"function", "plain", "program", "params", "returns", "tied_sizes"}
OPTIONAL_KEYS = {"denominators"}
DTYPES = {"int", "float", "double"}
ACCESS = {"read", "write", "readwrite"}
ROLES = {"dimension", "stride", "value"}
# a name in a program or shape: identifiers, struct fields, constant subscripts
NAME_RE = re.compile(r"[A-Za-z_]\w*(?:\.[A-Za-z_]\w*(?:\[\d+\])?)*")
SHAPE_TOKEN_RE = re.compile(r"\s*(?:(?P<num>\d+)|(?P<name>[A-Za-z_][\w.\[\]]*)|(?P<op>[-+*]))")
PROGRAM_FUNCS = {"min", "max", "exp", "sqrt", "abs", "select"}


def read_expectation(path: Path) -> dict:
    m = EXPECT_RE.match(path.read_text())
    if not m:
        raise ValueError("no `/* tensorlift-expect ... */` block at the top of the file")
    return json.loads(m.group(1))


def check_shape_expr(expr: str, dims: set[str]) -> list[str]:
    """An affine expression over dimension names and integers, e.g. `n+ntaps-1`."""
    errs, pos = [], 0
    while pos < len(expr):
        m = SHAPE_TOKEN_RE.match(expr, pos)
        if not m or m.end() == pos:
            return [f"bad shape expression {expr!r}"]
        if m.group("name") and m.group("name") not in dims:
            errs.append(f"shape {expr!r} uses {m.group('name')!r}, not a dimension scalar")
        pos = m.end()
    return errs


def check_expectation(exp: dict) -> list[str]:
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
        errs.append("program must be a non-empty string")
    ret = exp["returns"]
    if ret is not None and (not isinstance(ret, dict) or set(ret) != {"dtype"} or ret["dtype"] not in DTYPES):
        errs.append("returns must be null or {\"dtype\": int|float|double}")

    names, dims = [], set()
    for p in exp["params"]:
        name = p.get("name")
        names.append(name)
        if p.get("kind") == "scalar":
            want = {"name", "kind", "dtype", "role"}
            if p.get("role") not in ROLES:
                errs.append(f"{name}: bad role {p.get('role')!r}")
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
        if p.get("dtype") not in DTYPES:
            errs.append(f"{name}: bad dtype {p.get('dtype')!r}")
        if not isinstance(name, str) or not NAME_RE.fullmatch(name):
            errs.append(f"bad parameter name {name!r}")
    if len(set(names)) != len(names):
        errs.append("duplicate parameter names")
    for p in exp["params"]:
        if p.get("kind") == "array" and isinstance(p.get("shape"), list):
            for s in p["shape"]:
                errs += [f"{p['name']}: {e}" for e in check_shape_expr(str(s), dims)]

    tied = exp["tied_sizes"]
    if not isinstance(tied, list) or any(not isinstance(t, list) or len(t) < 2 for t in tied):
        errs.append("tied_sizes must be a list of lists of at least two names")
    else:
        for t in tied:
            for n in t:
                if n not in dims:
                    errs.append(f"tied size {n!r} is not a dimension scalar")
    for d in exp.get("denominators", []):
        if d not in names:
            errs.append(f"denominator {d!r} is not a parameter")

    # every name in the program is a parameter, the function (if it returns), a function
    # symbol, or an index variable (used inside an access's parentheses)
    program = exp["program"] if isinstance(exp["program"], str) else ""
    known = set(names) | PROGRAM_FUNCS | ({exp["function"]} if ret else set())
    index_vars = set()
    for m in re.finditer(r"\(([^()]*)\)", program):
        index_vars |= set(re.findall(r"[A-Za-z_]\w*", m.group(1)))
    for stmt in program.split(";"):
        lhs = re.split(r"\+?=", stmt, maxsplit=1)[0].strip()
        lhs_name = NAME_RE.match(lhs).group(0) if NAME_RE.match(lhs) else None
        if lhs_name not in known - PROGRAM_FUNCS:
            errs.append(f"statement {stmt.strip()!r} assigns to {lhs_name!r}, not an output")
    for m in NAME_RE.finditer(program):
        tok = m.group(0)
        if tok not in known and tok not in index_vars:
            errs.append(f"program uses unknown name {tok!r}")
    if exp.get("plain") is True:
        # plain TACO: one statement, + - * / and unary minus, accesses by plain index variables
        if ";" in program:
            errs.append("plain program with several statements")
        for f in PROGRAM_FUNCS:
            if re.search(rf"(?<![\w.]){f}\s*\(", program):
                errs.append(f"plain program uses {f}()")
        if re.search(r"[<>!]|==", program):
            errs.append("plain program uses a comparison")
        for m in re.finditer(r"(?<=[\w\]])\(([^()]*)\)", program):
            if any(not re.fullmatch(r"\s*[A-Za-z_]\w*\s*", ix) for ix in m.group(1).split(",")):
                errs.append(f"plain program has an index expression ({m.group(1)})")
    if ret and not re.search(rf"(^|;)\s*{re.escape(exp['function'])}\s*\+?=", program):
        errs.append("function returns a value but no statement defines it")
    return errs


def compile_ok(path: Path, cc: str) -> str | None:
    cmd = [cc, "-c", "-O2", "-Wall", "-Werror", "-I", str(path.parent), "-o", "/dev/null", str(path)]
    r = subprocess.run(cmd, capture_output=True, text=True)
    return None if r.returncode == 0 else (r.stderr.strip() or "compiler failed")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cc", default="gcc")
    args = ap.parse_args(argv)

    problems, per_cat, plain, nonplain, tied = [], {}, [], [], []
    files = sorted(CORPUS.glob("*/*.c"))
    for path in files:
        rel = path.relative_to(CORPUS)
        cat = rel.parts[0]
        if cat not in CATEGORIES:
            problems.append(f"{rel}: unknown category {cat!r}")
        try:
            exp = read_expectation(path)
        except (ValueError, json.JSONDecodeError) as e:
            problems.append(f"{rel}: {e}")
            continue
        problems += [f"{rel}: {e}" for e in check_expectation(exp)]
        err = compile_ok(path, args.cc)
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
