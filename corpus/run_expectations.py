#!/usr/bin/env python3
"""Run every corpus kernel and check its expectation (`<name>.expect.json`) against what the
C code does.

The C side is read with tensorlift's front end (libclang): parameter kinds, dtypes, struct
fields and the type a struct's `vals` is cast to. The expected program is read and evaluated
with tensorlift's TACO parser and evaluator (through corpus/notation.py for the corpus's
extended constructs), so TACO's reduction rule is the one of tensorlift/taco/semantics.py.
For each kernel: compile it into a shared library, build the arguments from the expected
parameters (sizes distinct unless tied, strides = dense row lengths, random values, guard
cells around every array), call it, and compare with the program. Also checks: the kernel is
the last function of the file, the dtypes are the C types, read arrays unchanged, nothing
written outside the expected shapes, `write` outputs independent of their old contents,
`readwrite` outputs dependent on them, every value scalar changes some output, and a returned
value the expectation ignores (TACO's status) is 0.

Usage: python corpus/run_expectations.py [--jobs N] [KERNEL.c ...]   (default: the whole corpus)
"""
from __future__ import annotations

import argparse
import ctypes
import json
import os
import re
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np

CORPUS = Path(__file__).resolve().parent
sys.path[:0] = [str(CORPUS), str(CORPUS.parent)]
sys.dont_write_bytecode = True  # keep the corpus free of __pycache__ directories

import notation  # noqa: E402
from benchmarks.corpus import expectation_path, kernel_files  # noqa: E402
from tensorlift import carith  # noqa: E402
from tensorlift.c import ast as A  # noqa: E402
from tensorlift.c.affine import parse_affine  # noqa: E402
from tensorlift.c.frontend import parse  # noqa: E402
from tensorlift.errors import TensorliftError  # noqa: E402

CTYPES = {"bool": ctypes.c_bool, "int8": ctypes.c_int8, "uint8": ctypes.c_uint8,
          "int16": ctypes.c_int16, "uint16": ctypes.c_uint16, "int": ctypes.c_int32,
          "uint32": ctypes.c_uint32, "int64": ctypes.c_int64, "uint64": ctypes.c_uint64,
          "float": ctypes.c_float, "double": ctypes.c_double}
SIZE_SETS = [[3, 4, 5, 6, 7, 2, 8], [5, 3, 6, 4, 2, 7, 3]]
VALUE_ALTERNATIVES = (lambda v: v * 2 + 3, lambda v: -v - 7, lambda v: 1000, lambda v: -1000,
                      lambda v: 0, lambda v: 1.9, lambda v: -1.9)


# ---------------------------------------------------------------- the C side, from the front end


class Layout:
    """How each C parameter is passed, from tensorlift's kernel AST and the expectation.

    `slots` has one entry per C parameter: ("scalar", name, dtype), ("array", name, dtype,
    indirections) or ("struct", C name, by_pointer, fields), where fields maps an expected
    name (`a.vals`, `a.dimensions[0]`) to ("scalar" | "array" | "subscript", field, dtype,
    indirections). `errors` lists where the expectation disagrees with the C types."""

    def __init__(self, kernel: A.Kernel, exp: dict):
        self.kernel, self.errors, self.slots = kernel, [], []
        self.casts = self._casts()
        expected = {p["name"]: p for p in exp["params"]}
        by_c: dict[str, list[dict]] = {}
        for p in exp["params"]:
            by_c.setdefault(p["name"].split(".")[0], []).append(p)
        cnames = [p.name for p in kernel.params]
        if list(by_c) != [c for c in cnames if c in by_c]:
            self.errors.append(f"parameter order {list(by_c)} does not follow the C order {cnames}")
        self.errors += [f"C parameter {c} missing from params" for c in cnames if c not in by_c]
        self.errors += [f"{n} is not a C parameter" for n in by_c if n not in cnames]
        for param in kernel.params:
            t = A.strip_ref(param.type)
            elem = A.element(t)
            if isinstance(elem, A.Struct):
                if A.levels(t) > 1:
                    self.errors.append(f"{param.name}: pointer to pointer to struct")
                    continue
                fields = {p["name"]: self._field(param.name, elem, p) for p in by_c.get(param.name, [])}
                self.slots.append(("struct", param.name, A.levels(t) == 1, elem, fields))
            elif isinstance(elem, A.Scalar):
                p = expected.get(param.name)
                kind = "array" if A.levels(t) else "scalar"
                self._agree(param.name, p, kind, elem.dtype)
                if kind == "array":
                    self.slots.append(("array", param.name, elem.dtype, _indirections(t)))
                else:
                    self.slots.append(("scalar", param.name, elem.dtype))
            else:
                self.errors.append(f"{param.name}: parameter type {t} is not supported here")
        returns = kernel.returns
        self.restype = None if returns == A.VOID else CTYPES[returns.dtype]
        if exp["returns"] is not None:
            if returns == A.VOID or returns.dtype != exp["returns"]["dtype"]:
                self.errors.append(f"returns {exp['returns']}, C returns {_spell(returns)}")
        self.ignored_return = exp["returns"] is None and returns != A.VOID

    def _casts(self) -> dict[tuple[str, str], set[str]]:
        """(parameter, field) -> the element dtypes the code casts that pointer field to."""
        out: dict[tuple[str, str], set[str]] = {}
        for node in A.walk(self.kernel.function.body):
            if isinstance(node, A.Cast) and isinstance(node.type, A.Pointer) \
                    and isinstance(node.type.target, A.Scalar) and isinstance(node.expr, A.Member):
                base = node.expr.base
                while isinstance(base, A.Cast):
                    base = base.expr
                if isinstance(base, A.Name):
                    out.setdefault((base.name, node.expr.field), set()).add(node.type.target.dtype)
        return out

    def _field(self, cname: str, struct: A.Struct, p: dict):
        m = re.fullmatch(r"[^.]+\.(\w+)(?:\[(\d+)\])?", p["name"])
        if not m:
            self.errors.append(f"{p['name']}: not a field name")
            return None
        field, sub = m.group(1), m.group(2)
        ftype = dict(self.kernel.structs.get(struct.name, [])).get(field)
        if ftype is None:
            self.errors.append(f"{p['name']}: {struct.name} has no field {field}")
            return None
        elem = A.element(ftype)
        if not isinstance(elem, A.Scalar):
            self.errors.append(f"{p['name']}: field type {ftype} is not supported here")
            return None
        if isinstance(ftype, A.Scalar):
            self._agree(p["name"], p, "scalar", elem.dtype)
            return ("scalar", field, elem.dtype, 0)
        if sub is not None:
            self._agree(p["name"], p, "scalar", elem.dtype)
            return ("subscript", field, elem.dtype, int(sub))
        casts = self.casts.get((cname, field), set())
        if len(casts) > 1:
            self.errors.append(f"{p['name']}: cast to several types {sorted(casts)}")
        dtype = next(iter(casts)) if casts else elem.dtype
        self._agree(p["name"], p, "array", dtype)
        return ("array", field, dtype, _indirections(ftype))

    def _agree(self, name: str, p: dict | None, kind: str, dtype: str) -> None:
        if p is None:
            return
        if p["kind"] != kind:
            self.errors.append(f"{name} is a C {kind}, the expectation says {p['kind']}")
        elif p["dtype"] != dtype:
            self.errors.append(f"{name}: dtype {p['dtype']}, C says {dtype}")

    def structure(self, struct: A.Struct):
        """A ctypes Structure with the C layout of `struct` (pointers as void *)."""
        fields = []
        for name, t in self.kernel.structs[struct.name]:
            if isinstance(t, A.Scalar):
                fields.append((name, CTYPES[t.dtype]))
            elif isinstance(t, A.Pointer):
                fields.append((name, ctypes.c_void_p))
            else:
                raise TypeError(f"field {name} of {struct.name}: {t} is not supported here")
        return type("Struct", (ctypes.Structure,), {"_fields_": fields})


def _indirections(t: A.Type) -> int:
    """Pointer hops from the argument to an element: `int *a` and `int a[n][m]` take one
    (a flat buffer), `int **a` two (a table of row pointers)."""
    hops, first = 0, True
    while isinstance(t, (A.Pointer, A.Array)):
        if first or isinstance(t, A.Pointer):
            hops += 1
        first = False
        t = t.target if isinstance(t, A.Pointer) else t.elem
    return hops


def _spell(t: A.Type) -> str:
    return t.dtype if isinstance(t, A.Scalar) else "void" if t == A.VOID else str(t)


# ---------------------------------------------------------------- buffers and values


class Buffers:
    """Arrays with guard cells; a pointer to pointers gets a table of row pointers."""
    PAD = 8

    def __init__(self):
        self.keep = []

    def make(self, dtype: str, shape, hops: int, values):
        np_dtype = carith.NUMPY[dtype]
        n = int(np.prod(shape)) if shape else 1
        store = np.full(n + 2 * self.PAD, sentinel(np_dtype), dtype=np_dtype)
        store[self.PAD:self.PAD + n] = np.asarray(values).reshape(-1)
        self.keep.append(store)
        addr = store.ctypes.data + self.PAD * store.itemsize
        if hops >= 2:
            if hops > 2 or len(shape) != 2:
                raise TypeError(f"{hops} pointer levels over shape {shape}")
            table = np.array([addr + r * shape[1] * store.itemsize for r in range(shape[0])],
                             dtype=np.uintp)
            self.keep.append(table)
            addr = table.ctypes.data
        return store, addr


def sentinel(np_dtype):
    dt = np.dtype(np_dtype)
    return np.nan if dt.kind == "f" else min(np.iinfo(dt).max, 1 << 20)


def region(store, shape):
    n = int(np.prod(shape)) if shape else 1
    return store[Buffers.PAD:Buffers.PAD + n].reshape(shape)


def guards_ok(store, shape) -> bool:
    n = int(np.prod(shape)) if shape else 1
    pads = np.concatenate([store[:Buffers.PAD], store[Buffers.PAD + n:]])
    if store.dtype.kind == "f":
        return bool(np.all(np.isnan(pads)))
    return bool(np.all(pads == sentinel(store.dtype)))


def random_values(rng, dtype: str, shape, nonzero: bool) -> np.ndarray:
    """Floats in [-2, 2]; 8-bit integers over their whole range (pixels); wider integers
    small, so that C's arithmetic in `int` never overflows."""
    if carith.is_float(dtype):
        v = rng.uniform(-2.0, 2.0, size=shape)
        return np.sign(v + 1e-12) * (np.abs(v) + 0.5) if nonzero else v
    bits, signed = carith.INT_TYPES[dtype]
    lo, hi = carith.bounds(dtype) if bits <= 8 else (-9, 9) if signed else (0, 18)
    v = rng.integers(lo, hi + 1, size=shape)
    return np.where(v == 0, 1, v) if nonzero else v


def c_values(rng, dtype: str, shape, nonzero: bool) -> np.ndarray:
    """`random_values` as the kernel holds them: a `float` is rounded to single precision,
    so that the program is evaluated on the very numbers the C code reads."""
    return np.asarray(random_values(rng, dtype, shape, nonzero)).astype(carith.NUMPY[dtype])


def stride_value(name: str, shapes: dict) -> int:
    """Dense row length for a stride scalar (see the corpus README)."""
    m = re.fullmatch(r"(.+)\.dimensions\[(\d+)\]", name)
    if m:
        return shapes[m.group(1) + ".vals"][int(m.group(2))]
    m = re.fullmatch(r"ld([a-z])", name)
    if m:
        for cand in (m.group(1).upper(), m.group(1)):
            if cand in shapes:
                return shapes[cand][1]
    if name == "kv_dim":
        return shapes["k"][1] if "k" in shapes else shapes["v"][1]
    raise KeyError(f"do not know which array the stride {name} belongs to")


# ---------------------------------------------------------------- one kernel


class Kernel:
    """A compiled kernel called on named values (expectation names), with guards checked."""

    def __init__(self, path: Path, layout: Layout, function: str):
        self.layout = layout
        self.fn = getattr(build(path), function)
        argtypes, self.structs = [], {}
        for slot in layout.slots:
            if slot[0] == "scalar":
                argtypes.append(CTYPES[slot[2]])
            elif slot[0] == "array":
                argtypes.append(ctypes.c_void_p)
            else:
                cls = self.structs[slot[1]] = layout.structure(slot[3])
                argtypes.append(ctypes.POINTER(cls) if slot[2] else cls)
        self.fn.argtypes, self.fn.restype = argtypes, layout.restype

    def __call__(self, values: dict, shapes: dict, errs: list):
        """(returned value, {array name: its region after the call})."""
        bufs, args, stores = Buffers(), [], {}
        for slot in self.layout.slots:
            if slot[0] == "scalar":
                args.append(values[slot[1]])
            elif slot[0] == "array":
                stores[slot[1]], addr = bufs.make(slot[2], shapes[slot[1]], slot[3], values[slot[1]])
                args.append(addr)
            else:
                obj, tables = self.structs[slot[1]](), {}
                for name, (kind, field, dtype, extra) in slot[4].items():
                    if kind == "scalar":
                        setattr(obj, field, values[name])
                    elif kind == "subscript":     # a.dimensions[k]
                        if field not in tables:
                            tables[field] = np.zeros(8, dtype=carith.NUMPY[dtype])
                            bufs.keep.append(tables[field])
                        tables[field][extra] = values[name]
                        setattr(obj, field, tables[field].ctypes.data)
                    else:
                        stores[name], addr = bufs.make(dtype, shapes[name], extra, values[name])
                        setattr(obj, field, addr)
                bufs.keep.append(obj)
                args.append(ctypes.pointer(obj) if slot[2] else obj)
        ret = self.fn(*args)
        out = {}
        for name, store in stores.items():
            if not guards_ok(store, shapes[name]):
                errs.append(f"{name} written outside its shape {shapes[name]}")
            out[name] = region(store, shapes[name]).copy()
        return ret, out


def same(a: dict, b: dict, ret_a, ret_b) -> bool:
    """Two calls gave the same outputs, bit for bit (NaN equal to NaN)."""
    return all(np.array_equal(a[k], b[k], equal_nan=True) for k in a) \
        and (ret_a == ret_b or ret_a != ret_a and ret_b != ret_b)


def check_kernel(path: Path) -> list[str]:
    side = expectation_path(path)
    if not side.exists():
        return [f"no expectation {side.name} beside the kernel"]
    exp = json.loads(side.read_text())
    try:
        unit = parse(path, ["-I", str(path.parent)])
        functions = unit.functions()
        if functions[-1] != exp["function"]:
            return [f"the last function is {functions[-1]}, expected {exp['function']}"]
        layout = Layout(unit.kernel(exp["function"]), exp)
        program = notation.parse(exp["program"])
    except TensorliftError as e:
        return [str(e)]
    if layout.errors:
        return layout.errors
    params = exp["params"]
    result = exp["function"] if exp["returns"] else None
    outputs = {p["name"] for p in params if p["kind"] == "array" and p["access"] != "read"}
    defined = {st.lhs.name for st in program.statements}
    if defined != outputs | ({result} if result else set()):
        return [f"program defines {sorted(defined)}, outputs are {sorted(outputs)}"
                + (f" and {result}" if result else "")]
    dtypes = {p["name"]: p["dtype"] for p in params}
    if result:
        dtypes[result] = exp["returns"]["dtype"]
    rtol = carith.tolerance(dtypes.values())
    denominators = set(exp.get("denominators", []))
    kernel = Kernel(path, layout, exp["function"])
    dims = [p["name"] for p in params if p["kind"] == "scalar" and p["role"] == "dimension"]
    rng = np.random.default_rng(7)
    errs: list[str] = []
    inert: dict[str, int] = {}
    for base_sizes in SIZE_SETS:
        sizes: dict[str, int] = {}
        for n, d in enumerate(dims):
            tie = next((t for t in exp["tied_sizes"] if d in t and t[0] in sizes), None)
            sizes[d] = sizes[tie[0]] if tie else base_sizes[n % len(base_sizes)]
        where = f"sizes {sizes}: "
        shapes = {p["name"]: [parse_affine(s).eval(sizes) for s in p["shape"]]
                  for p in params if p["kind"] == "array"}
        values = {}
        for p in params:
            name = p["name"]
            if p["kind"] == "array":
                values[name] = c_values(rng, p["dtype"], shapes[name], name in denominators)
            elif p["role"] == "dimension":
                values[name] = sizes[name]
            elif p["role"] == "stride":
                values[name] = stride_value(name, shapes)
            else:
                values[name] = c_values(rng, p["dtype"], [], name in denominators).item()
        call_errs: list[str] = []
        ret, got = kernel(values, shapes, call_errs)
        errs += [where + e for e in call_errs]
        try:
            want = notation.run(program, values, dtypes)
        except (TensorliftError, notation.EvalError) as e:
            return errs + [f"{where}the program does not evaluate: {e}"]
        scale = max([1.0] + [float(np.max(np.abs(v))) for v in values.values() if np.size(v)])
        for p in params:
            name = p["name"]
            if p["kind"] != "array":
                continue
            if p["access"] == "read":
                if not np.array_equal(got[name], values[name]):
                    errs.append(f"{where}read array {name} was modified")
            elif not carith.matches(got[name], want[name], p["dtype"], rtol, scale):
                errs.append(f"{where}{name} = {got[name].tolist()} but the program gives "
                            f"{np.asarray(want[name]).tolist()}")
        if result and not carith.matches(ret, want[result], dtypes[result], rtol, scale):
            errs.append(f"{where}returned {ret}, the program gives {want[result]}")
        if layout.ignored_return and ret != 0:
            errs.append(f"{where}returned {ret}, but the expectation returns nothing (a status 0)")

        # access modes: write outputs must not depend on old contents; readwrite ones must
        for p in params:
            if p["kind"] != "array" or p["access"] == "read":
                continue
            changed = dict(values)
            changed[p["name"]] = c_values(rng, p["dtype"], shapes[p["name"]], False) + 1
            ret2, got2 = kernel(changed, shapes, [])
            if p["access"] == "write" and not same(got, got2, ret, ret2):
                errs.append(f"{where}{p['name']} is marked write but its old contents matter")
            if p["access"] == "readwrite" and same(got, got2, ret, ret2):
                errs.append(f"{where}{p['name']} is marked readwrite but its old contents never matter")
        # a value scalar enters the arithmetic: some value of it changes some output
        for p in params:
            if p["kind"] != "scalar" or p["role"] != "value":
                continue
            v0 = values[p["name"]]
            for alt in VALUE_ALTERNATIVES:
                changed = dict(values)
                v = alt(v0)
                v = float(v) if carith.is_float(p["dtype"]) else carith.convert(v, p["dtype"])
                if v == 0 and p["name"] in denominators:
                    continue
                changed[p["name"]] = v
                ret2, got2 = kernel(changed, shapes, [])
                if not same(got, got2, ret, ret2):
                    break
            else:
                inert[p["name"]] = inert.get(p["name"], 0) + 1
    # the effect can depend on the data (a clamp): only inert in every trial is an error
    errs += [f"value scalar {n} does not affect any output" for n, c in inert.items() if c == len(SIZE_SETS)]
    return errs


def build(path: Path):
    cc = "gcc" if path.suffix == ".c" else "g++"
    with tempfile.TemporaryDirectory(prefix="tl-corpus-") as tmp:
        so = os.path.join(tmp, path.stem + ".so")
        subprocess.run([cc, "-shared", "-fPIC", "-O1", "-I", str(path.parent), "-o", so, str(path), "-lm"],
                       check=True, capture_output=True)
        return ctypes.CDLL(so)   # stays mapped after the file is removed


def run_one(path: Path) -> list[str]:
    """check_kernel in a child process: a kernel that crashes takes only itself down."""
    try:
        r = subprocess.run([sys.executable, __file__, "--one", str(path)], capture_output=True,
                           text=True, timeout=300)
        return json.loads(r.stdout.strip().splitlines()[-1])
    except subprocess.TimeoutExpired:
        return ["the check timed out"]
    except (IndexError, json.JSONDecodeError):
        return [f"the check crashed (exit {r.returncode}): {r.stderr.strip()[-600:]}"]


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("kernels", nargs="*", type=Path)
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--one", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.one:
        print(json.dumps(check_kernel(args.one.resolve())))
        return 0
    files = [f.resolve() for f in args.kernels] or kernel_files(CORPUS)
    with ThreadPoolExecutor(args.jobs) as pool:
        results = list(pool.map(run_one, files))
    bad = 0
    for f, errs in zip(files, results):
        rel = f.relative_to(CORPUS) if f.is_relative_to(CORPUS) else f
        bad += bool(errs)
        for e in errs or ["ok"]:
            print(f"{rel}: {e}")
    print(f"{len(files) - bad} passed, {bad} failed")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
