#!/usr/bin/env python3
"""Run every corpus kernel and check its expectation block against what the C code does.

For each kernel: compile it to a shared library, build the arguments from the expected
parameters (sizes distinct unless tied, strides = dense row lengths, random values, guard
cells around every array), call it, and compare with the expected program evaluated by a small
NumPy interpreter written here. Also checks: read arrays unchanged, nothing written outside
the expected shapes, `write` outputs independent of their old contents, `readwrite` outputs
dependent on them, and that the kernel is the last function of the file.

Usage: python corpus/run_expectations.py [FILE.c ...]     (default: the whole corpus)
Needs numpy and pycparser (+ pycparser-fake-libc), as the project does.
"""
from __future__ import annotations

import ctypes
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

CORPUS = Path(__file__).resolve().parent
EXPECT_RE = re.compile(r"\A/\* tensorlift-expect\s*\n(.*?)\*/", re.S)

# ---------------------------------------------------------------- program interpreter

TOKEN_RE = re.compile(r"""\s*(?:
    (?P<num>\d+\.\d*(?:[eE][-+]?\d+)?|\d+(?:[eE][-+]?\d+)?)
  | (?P<name>[A-Za-z_]\w*(?:\.[A-Za-z_]\w*(?:\[\d+\])?)*)
  | (?P<op>\+=|==|!=|<=|>=|[-+*/(),;=<>])
)""", re.X)
FUNCS = {"min", "max", "exp", "sqrt", "abs", "select"}


def tokenize(text):
    pos, out = 0, []
    text = text.strip()
    while pos < len(text):
        m = TOKEN_RE.match(text, pos)
        if not m or m.end() == pos:
            raise SyntaxError(f"bad program text at {text[pos:]!r}")
        kind = m.lastgroup
        out.append((kind, m.group(kind)))
        pos = m.end()
    out.append(("end", ""))
    return out


class Parser:
    def __init__(self, text):
        self.toks, self.i = tokenize(text), 0

    def peek(self):
        return self.toks[self.i]

    def take(self, value=None):
        tok = self.toks[self.i]
        if value is not None and tok[1] != value:
            raise SyntaxError(f"expected {value!r}, got {tok[1]!r}")
        self.i += 1
        return tok

    def program(self):
        stmts = [self.statement()]
        while self.peek()[1] == ";":
            self.take(";")
            stmts.append(self.statement())
        if self.peek()[0] != "end":
            raise SyntaxError(f"trailing {self.peek()[1]!r}")
        return stmts

    def statement(self):
        lhs = self.primary()
        if lhs[0] != "acc":
            raise SyntaxError("left side must be a tensor access")
        op = self.take()[1]
        if op not in ("=", "+="):
            raise SyntaxError(f"expected = or +=, got {op!r}")
        return lhs, op == "+=", self.expr()

    def expr(self):
        left = self.additive()
        if self.peek()[1] in ("<", ">", "<=", ">=", "==", "!="):
            op = self.take()[1]
            left = ("bin", op, left, self.additive())
        return left

    def additive(self):
        node = self.term()
        while self.peek()[1] in ("+", "-"):
            op = self.take()[1]
            node = ("bin", op, node, self.term())
        return node

    def term(self):
        node = self.unary()
        while self.peek()[1] in ("*", "/"):
            op = self.take()[1]
            node = ("bin", op, node, self.unary())
        return node

    def unary(self):
        if self.peek()[1] == "-":
            self.take()
            return ("neg", self.unary())
        return self.primary()

    def primary(self):
        kind, val = self.take()
        if kind == "num":
            return ("num", float(val) if re.search(r"[.eE]", val) else int(val))
        if val == "(":
            node = self.expr()
            self.take(")")
            return node
        if kind != "name":
            raise SyntaxError(f"unexpected {val!r}")
        if val in FUNCS and self.peek()[1] == "(":
            self.take("(")
            args = [self.expr()]
            while self.peek()[1] == ",":
                self.take(",")
                args.append(self.expr())
            self.take(")")
            return ("call", val, args)
        idx = []
        if self.peek()[1] == "(":
            self.take("(")
            idx.append(self.expr())
            while self.peek()[1] == ",":
                self.take(",")
                idx.append(self.expr())
            self.take(")")
        return ("acc", val, idx)


def affine(node, consts):
    """Index expression -> ({var: coef}, const); names in `consts` are sizes."""
    t = node[0]
    if t == "num":
        return {}, node[1]
    if t == "acc" and not node[2]:
        if node[1] in consts:
            return {}, consts[node[1]]
        return {node[1]: 1}, 0
    if t == "neg":
        c, k = affine(node[1], consts)
        return {v: -x for v, x in c.items()}, -k
    if t == "bin" and node[1] in "+-":
        c1, k1 = affine(node[2], consts)
        c2, k2 = affine(node[3], consts)
        s = 1 if node[1] == "+" else -1
        out = dict(c1)
        for v, x in c2.items():
            out[v] = out.get(v, 0) + s * x
        return out, k1 + s * k2
    if t == "bin" and node[1] == "*":
        c1, k1 = affine(node[2], consts)
        c2, k2 = affine(node[3], consts)
        if not c1:
            return {v: k1 * x for v, x in c2.items()}, k1 * k2
        if not c2:
            return {v: k2 * x for v, x in c1.items()}, k1 * k2
    raise ValueError(f"index expression is not affine: {node}")


def node_vars(node, consts):
    t = node[0]
    if t == "acc":
        vs = set()
        for ix in node[2]:
            vs |= set(affine(ix, consts)[0])
        return vs
    if t == "num":
        return set()
    kids = node_children(node)
    return set().union(*(node_vars(k, consts) for k in kids)) if kids else set()


def node_children(node):
    if node[0] == "bin":
        return [node[2], node[3]]
    if node[0] == "neg":
        return [node[1]]
    if node[0] == "call":
        return list(node[2])
    return []


def reduction_sites(rhs, red_vars, consts):
    """TACO rule: each reduction variable is summed at the smallest subexpression holding all
    its uses. A one-argument min/max is a min/max-reduction of the variables it encloses."""
    sites = {}
    for v in red_vars:
        node = rhs
        while True:
            if node[0] == "call" and node[1] in ("min", "max") and len(node[2]) == 1:
                break
            kids = [k for k in node_children(node) if v in node_vars(k, consts)]
            if len(kids) != 1:
                break
            node = kids[0]
        sites.setdefault(id(node), []).append(v)
    return sites


def c_div(a, b):
    a, b = np.asarray(a), np.asarray(b)
    if a.dtype.kind in "iu" and b.dtype.kind in "iu":
        q = np.abs(a) // np.abs(b)
        return np.where((a < 0) ^ (b < 0), -q, q)
    return a / b


def run_program(stmts, env, sizes, shapes_of):
    """Evaluate statements in order on `env` (name -> ndarray/scalar), in place."""
    for lhs, accumulate, rhs in stmts:
        lvars = []
        for ix in lhs[2]:
            c, k = affine(ix, sizes)
            if len(c) != 1 or k != 0 or list(c.values()) != [1]:
                raise ValueError("left side indices must be plain index variables")
            lvars.append(next(iter(c)))
        allv = sorted(set(lvars) | node_vars(rhs, sizes))
        extent = {}

        def note_extents(node):
            if node[0] == "acc" and node[2]:
                shape = shapes_of(node[1])
                if len(shape) != len(node[2]):
                    raise ValueError(f"{node[1]} has order {len(shape)}, used with {len(node[2])} indices")
                for d, ix in enumerate(node[2]):
                    c, k = affine(ix, sizes)
                    if len(c) == 1 and k == 0 and list(c.values()) == [1]:
                        v = next(iter(c))
                        if v in extent and extent[v] != shape[d]:
                            raise ValueError(f"index {v} has extents {extent[v]} and {shape[d]}")
                        extent[v] = shape[d]
            for kid in node_children(node):
                note_extents(kid)

        note_extents(lhs)
        note_extents(rhs)
        missing = [v for v in allv if v not in extent]
        if missing:
            raise ValueError(f"no extent for index variables {missing}")
        axis = {v: n for n, v in enumerate(allv)}
        nd = len(allv)
        sites = reduction_sites(rhs, set(allv) - set(lvars), sizes)

        def grid(v):
            shape = [1] * nd
            shape[axis[v]] = extent[v]
            return np.arange(extent[v]).reshape(shape)

        def ev(node):
            t = node[0]
            if t == "num":
                val = np.asarray(node[1]).reshape([1] * nd)
            elif t == "acc":
                arr = np.asarray(env[node[1]])
                if not node[2]:
                    val = arr.reshape([1] * nd) if arr.size == 1 else None
                    if val is None:
                        raise ValueError(f"{node[1]} used as a scalar but has shape {arr.shape}")
                else:
                    idx = []
                    for ix in node[2]:
                        c, k = affine(ix, sizes)
                        e = np.full([1] * nd, k)
                        for v, x in c.items():
                            e = e + x * grid(v)
                        idx.append(e)
                    val = arr[tuple(idx)]
                    val = val.reshape(val.shape if val.ndim == nd else [1] * nd)
            elif t == "neg":
                val = -ev(node[1])
            elif t == "bin":
                a, b = ev(node[2]), ev(node[3])
                op = node[1]
                val = {"+": np.add, "-": np.subtract, "*": np.multiply, "<": np.less,
                       ">": np.greater, "<=": np.less_equal, ">=": np.greater_equal,
                       "==": np.equal, "!=": np.not_equal}.get(op, None)
                val = c_div(a, b) if op == "/" else val(a, b)
            elif t == "call":
                f, args = node[1], node[2]
                if f in ("min", "max") and len(args) == 1:
                    inner = ev(args[0])
                    axes = tuple(axis[v] for v in sites.get(id(node), []))
                    red = np.min if f == "min" else np.max
                    return red(inner, axis=axes, keepdims=True) if axes else inner
                vals = [ev(a) for a in args]
                val = {"min": lambda: np.minimum(*vals), "max": lambda: np.maximum(*vals),
                       "exp": lambda: np.exp(vals[0]), "sqrt": lambda: np.sqrt(vals[0]),
                       "abs": lambda: np.abs(vals[0]),
                       "select": lambda: np.where(vals[0], vals[1], vals[2])}[f]()
            else:
                raise ValueError(node)
            axes = tuple(axis[v] for v in sites.get(id(node), []))
            if axes:
                val = np.sum(np.broadcast_to(val, [extent[v] if axis[v] in axes else val.shape[axis[v]]
                                                   for v in allv]), axis=axes, keepdims=True)
            return val

        val = ev(rhs)
        full = [extent[v] if v in lvars else 1 for v in allv]
        val = np.broadcast_to(val, np.broadcast_shapes(val.shape, full))
        val = val.reshape([val.shape[axis[v]] for v in allv if v in lvars] or []) \
            if all(val.shape[axis[v]] == 1 for v in allv if v not in lvars) else None
        if val is None:
            raise ValueError("an index variable was not reduced")
        order = sorted(lvars, key=lambda v: axis[v])
        val = np.transpose(val, [order.index(v) for v in lvars]) if lvars else val
        name = lhs[1]
        if accumulate:
            val = np.asarray(env[name]) + val
        env[name] = np.array(val)


def eval_shape(expr, sizes):
    return int(eval(re.sub(r"[A-Za-z_][\w.\[\]]*", lambda m: str(sizes[m.group(0)]), expr)))


# ---------------------------------------------------------------- C side

SCALAR_CTYPES = {
    ("int",): ctypes.c_int, ("signed", "int"): ctypes.c_int, ("unsigned", "int"): ctypes.c_uint,
    ("unsigned",): ctypes.c_uint, ("short",): ctypes.c_short, ("short", "int"): ctypes.c_short,
    ("long",): ctypes.c_long, ("long", "int"): ctypes.c_long, ("long", "long"): ctypes.c_longlong,
    ("unsigned", "long"): ctypes.c_ulong, ("char",): ctypes.c_char, ("unsigned", "char"): ctypes.c_ubyte,
    ("float",): ctypes.c_float, ("double",): ctypes.c_double,
    ("int32_t",): ctypes.c_int32, ("int64_t",): ctypes.c_int64, ("uint8_t",): ctypes.c_uint8,
    ("int16_t",): ctypes.c_int16, ("uint32_t",): ctypes.c_uint32, ("size_t",): ctypes.c_size_t,
}
NP_OF = {ctypes.c_int: np.int32, ctypes.c_uint: np.uint32, ctypes.c_short: np.int16,
         ctypes.c_long: np.int64, ctypes.c_longlong: np.int64, ctypes.c_ulong: np.uint64,
         ctypes.c_float: np.float32, ctypes.c_double: np.float64, ctypes.c_int32: np.int32,
         ctypes.c_int64: np.int64, ctypes.c_uint8: np.uint8, ctypes.c_int16: np.int16,
         ctypes.c_ubyte: np.uint8}
FALLBACK_NP = {"int": np.int32, "float": np.float32, "double": np.float64}


def parse_c(path: Path):
    import pycparser
    import pycparser_fake_libc
    pre = subprocess.run(["gcc", "-E", "-nostdinc", "-I", pycparser_fake_libc.directory,
                          "-I", str(path.parent), str(path)], capture_output=True, text=True, check=True).stdout
    return pycparser.CParser().parse(pre, str(path))


class CTypes:
    """Resolve pycparser types to (kind, info): scalar ctype, pointer depth + base, struct."""

    def __init__(self, ast):
        from pycparser import c_ast
        self.c_ast = c_ast
        self.typedefs, self.structs, self._built = {}, {}, {}
        for ext in ast.ext:
            if isinstance(ext, c_ast.Typedef):
                self.typedefs[ext.name] = ext.type
            decl_type = getattr(ext, "type", None)
            for node in (decl_type, getattr(decl_type, "type", None)):
                if isinstance(node, c_ast.Struct) and node.decls is not None:
                    self.structs[node.name] = node

    def base(self, t):
        """Strip pointers/arrays: (depth, innermost TypeDecl.type)."""
        ca = self.c_ast
        depth = 0
        while True:
            if isinstance(t, (ca.PtrDecl, ca.ArrayDecl)):
                # depth counts levels of indirection: an array of arrays is one flat buffer,
                # a pointer to pointers (int **A) needs a table of row pointers
                if depth == 0 or isinstance(t, ca.PtrDecl):
                    depth += 1
                t = t.type
            elif isinstance(t, ca.TypeDecl):
                inner = t.type
                if isinstance(inner, ca.IdentifierType):
                    names = tuple(n for n in inner.names if n not in ("const", "volatile"))
                    if names in SCALAR_CTYPES or len(names) != 1 or names[0] not in self.typedefs:
                        return depth, inner
                    t = self.typedefs[names[0]]
                    continue
                return depth, inner
            else:
                return depth, t

    def scalar_ctype(self, inner):
        ca = self.c_ast
        if isinstance(inner, ca.IdentifierType):
            return SCALAR_CTYPES[tuple(n for n in inner.names if n not in ("const", "volatile"))]
        if isinstance(inner, ca.Enum):
            return ctypes.c_int
        raise TypeError(f"not a scalar type: {inner}")

    def struct_of(self, inner):
        ca = self.c_ast
        if isinstance(inner, ca.Struct):
            node = inner if inner.decls is not None else self.structs[inner.name]
            key = id(node)
            if key not in self._built:
                fields, info = [], {}
                for d in node.decls:
                    depth, fin = self.base(d.type)
                    if depth:
                        fields.append((d.name, ctypes.c_void_p))
                        elem = None
                        try:
                            elem = self.scalar_ctype(fin)
                        except (TypeError, KeyError):
                            pass
                        info[d.name] = ("ptr", depth, elem)
                    else:
                        fields.append((d.name, self.scalar_ctype(fin)))
                        info[d.name] = ("scalar", 0, self.scalar_ctype(fin))
                cls = type("S", (ctypes.Structure,), {"_fields_": fields})
                self._built[key] = (cls, info)
            return self._built[key]
        return None


class Buffers:
    """Arrays with guard cells; pointer-to-pointer arrays get row-pointer tables."""
    PAD = 8

    def __init__(self):
        self.keep = []

    def make(self, np_dtype, shape, depth, values):
        n = int(np.prod(shape)) if shape else 1
        store = np.empty(n + 2 * self.PAD, dtype=np_dtype)
        store[:] = sentinel(np_dtype)
        store[self.PAD:self.PAD + n] = np.asarray(values, dtype=np_dtype).reshape(-1)
        self.keep.append(store)
        addr = store.ctypes.data + self.PAD * store.itemsize
        if depth >= 2:
            rows = shape[0]
            rowlen = int(np.prod(shape[1:]))
            table = np.array([addr + r * rowlen * store.itemsize for r in range(rows)], dtype=np.uintp)
            self.keep.append(table)
            addr = table.ctypes.data
        return store, addr


def sentinel(np_dtype):
    dt = np.dtype(np_dtype)
    if dt.kind == "f":
        return np.nan
    return min(np.iinfo(dt).max, 1 << 20) if dt.kind in "iu" else 0


def region(store, shape):
    n = int(np.prod(shape)) if shape else 1
    return store[Buffers.PAD:Buffers.PAD + n].reshape(shape)


def guards_ok(store, shape):
    n = int(np.prod(shape)) if shape else 1
    pads = np.concatenate([store[:Buffers.PAD], store[Buffers.PAD + n:]])
    s = sentinel(store.dtype)
    return bool(np.all(np.isnan(pads))) if store.dtype.kind == "f" else bool(np.all(pads == s))


def stride_value(name, exp, shapes):
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


def check_kernel(path: Path) -> list[str]:
    exp = json.loads(EXPECT_RE.match(path.read_text()).group(1))
    errs = []
    ast = parse_c(path)
    from pycparser import c_ast
    funcs = [e for e in ast.ext if isinstance(e, c_ast.FuncDef)]
    if not funcs or funcs[-1].decl.name != exp["function"]:
        return [f"last function is {funcs[-1].decl.name if funcs else None}, expected {exp['function']}"]
    fdef = funcs[-1]
    ct = CTypes(ast)
    cparams = fdef.decl.type.args.params if fdef.decl.type.args else []
    cparams = [p for p in cparams if not (isinstance(p, c_ast.Typename))]

    # group expectation params by C parameter
    by_c = {}
    for p in exp["params"]:
        by_c.setdefault(p["name"].split(".")[0], []).append(p)
    cnames = [p.name for p in cparams]
    order = [p["name"].split(".")[0] for p in exp["params"]]
    dedup = list(dict.fromkeys(order))
    if dedup != [c for c in cnames if c in by_c]:
        errs.append(f"parameter order {dedup} does not follow the C order {cnames}")
    for c in cnames:
        if c not in by_c:
            errs.append(f"C parameter {c} missing from params")

    pinfo = {p["name"]: p for p in exp["params"]}

    def dtype_name(ctyp):
        return {ctypes.c_float: "float", ctypes.c_double: "double"}.get(ctyp, "int")

    for cp in cparams:
        depth, inner = ct.base(cp.type)
        st = ct.struct_of(inner)
        if st is None and cp.name in pinfo:
            want_kind = "array" if depth else "scalar"
            if pinfo[cp.name]["kind"] != want_kind:
                errs.append(f"{cp.name} is a C {want_kind}, expectation says {pinfo[cp.name]['kind']}")
            if pinfo[cp.name]["dtype"] != dtype_name(ct.scalar_ctype(inner)):
                errs.append(f"{cp.name}: dtype {pinfo[cp.name]['dtype']}, C says {dtype_name(ct.scalar_ctype(inner))}")
        elif st is not None:
            for p in by_c.get(cp.name, []):
                field = re.sub(r"\[\d+\]$", "", p["name"].split(".", 1)[1])
                if field not in st[1]:
                    errs.append(f"{p['name']}: the struct has no field {field}")
                    continue
                kind, fdepth, elem = st[1][field]
                if elem is not None and elem not in (ctypes.c_uint8, ctypes.c_ubyte) \
                        and p["dtype"] != dtype_name(elem):
                    errs.append(f"{p['name']}: dtype {p['dtype']}, C says {dtype_name(elem)}")
    rdepth, rinner = ct.base(fdef.decl.type.type)
    returns_void = isinstance(rinner, c_ast.IdentifierType) and rinner.names == ["void"]
    if exp["returns"] and (returns_void or exp["returns"]["dtype"] != dtype_name(ct.scalar_ctype(rinner))):
        errs.append(f"returns {exp['returns']} does not match the C return type")

    stmts = Parser(exp["program"]).program()
    outputs = {p["name"] for p in exp["params"] if p["kind"] == "array" and p["access"] != "read"}
    defined = {s[0][1] for s in stmts}
    want = outputs | ({exp["function"]} if exp["returns"] else set())
    if defined != want:
        errs.append(f"program defines {sorted(defined)}, outputs are {sorted(want)}")

    lib = build(path)
    fn = getattr(lib, exp["function"])
    dims = [p["name"] for p in exp["params"] if p.get("role") == "dimension"]
    rng = np.random.default_rng(7)
    inert = {}
    size_sets = [[3, 4, 5, 6, 7, 2, 8], [5, 3, 6, 4, 2, 7, 3]]
    for trial, base_sizes in enumerate(size_sets):
        sizes = {}
        for n, d in enumerate(dims):
            tie = next((t for t in exp["tied_sizes"] if d in t and t[0] in sizes), None)
            sizes[d] = sizes[tie[0]] if tie else base_sizes[n % len(base_sizes)]
        shapes = {p["name"]: [eval_shape(s, sizes) for s in p["shape"]]
                  for p in exp["params"] if p["kind"] == "array"}
        values = {}
        for p in exp["params"]:
            nm = p["name"]
            isden = nm in exp.get("denominators", [])
            if p["kind"] == "array":
                values[nm] = random_values(rng, p["dtype"], shapes[nm], isden)
            elif p["role"] == "dimension":
                values[nm] = sizes[nm]
            elif p["role"] == "stride":
                values[nm] = stride_value(nm, exp, shapes)
            else:
                values[nm] = random_values(rng, p["dtype"], [], isden).item()

        def call(vals):
            bufs = Buffers()
            args, argtypes, stores = [], [], {}
            for cp in cparams:
                depth, inner = ct.base(cp.type)
                st = ct.struct_of(inner)
                if st is None:
                    p = pinfo[cp.name]
                    if depth == 0:
                        ctyp = ct.scalar_ctype(inner)
                        argtypes.append(ctyp)
                        args.append(ctyp(vals[cp.name]))
                    else:
                        npd = NP_OF[ct.scalar_ctype(inner)]
                        store, addr = bufs.make(npd, shapes[cp.name], depth, vals[cp.name])
                        stores[cp.name] = store
                        argtypes.append(ctypes.c_void_p)
                        args.append(ctypes.c_void_p(addr))
                    continue
                cls, info = st
                obj = cls()
                keepalive = []
                for p in by_c.get(cp.name, []):
                    field = p["name"].split(".", 1)[1]
                    m = re.fullmatch(r"(\w+)\[(\d+)\]", field)
                    if m:
                        fname, k = m.group(1), int(m.group(2))
                        key = (cp.name, fname)
                        if key not in stores:
                            stores[key] = np.zeros(8, dtype=np.int32)
                        stores[key][k] = vals[p["name"]]
                        setattr(obj, fname, stores[key].ctypes.data)
                    elif info[field][0] == "scalar":
                        setattr(obj, field, vals[p["name"]])
                    else:
                        _, fdepth, elem = info[field]
                        # untyped storage (TACO's uint8_t *vals) holds what the code casts it to
                        if elem is None or elem in (ctypes.c_uint8, ctypes.c_ubyte):
                            npd = FALLBACK_NP[p["dtype"]]
                        else:
                            npd = NP_OF[elem]
                        store, addr = bufs.make(npd, shapes[p["name"]], fdepth, vals[p["name"]])
                        stores[p["name"]] = store
                        setattr(obj, field, addr)
                keepalive.append(obj)
                bufs.keep.append(keepalive)
                if depth == 0:
                    argtypes.append(cls)
                    args.append(obj)
                else:
                    argtypes.append(ctypes.POINTER(cls))
                    args.append(ctypes.pointer(obj))
            fn.argtypes = argtypes
            rdepth, rinner = ct.base(fdef.decl.type.type)
            is_void = isinstance(rinner, c_ast.IdentifierType) and rinner.names == ["void"]
            fn.restype = None if is_void else ct.scalar_ctype(rinner)
            ret = fn(*args)
            out = {}
            for nm, store in stores.items():
                if isinstance(nm, str):
                    if not guards_ok(store, shapes[nm]):
                        errs.append(f"sizes {sizes}: {nm} written outside its shape {shapes[nm]}")
                    out[nm] = region(store, shapes[nm]).copy()
            return ret, out

        ret, got = call(values)
        env = {k: (np.array(v) if isinstance(v, np.ndarray) else v) for k, v in values.items()}
        env = {k: v.astype(np.float64) if isinstance(v, np.ndarray) and v.dtype.kind == "f" else v
               for k, v in env.items()}
        try:
            run_program(stmts, env, sizes, lambda nm: shapes[nm])
        except Exception as e:  # noqa: BLE001 - report any interpreter failure as a finding
            return errs + [f"program does not evaluate: {e}"]
        for p in exp["params"]:
            nm = p["name"]
            if p["kind"] != "array":
                continue
            if p["access"] == "read":
                if not np.array_equal(got[nm], np.asarray(values[nm]).astype(got[nm].dtype)):
                    errs.append(f"sizes {sizes}: read array {nm} was modified")
            elif not close(got[nm], env[nm], p["dtype"]):
                errs.append(f"sizes {sizes}: {nm} = {got[nm].tolist()} but program gives "
                            f"{np.asarray(env[nm]).tolist()}")
        if exp["returns"] and not close(np.asarray(ret), env[exp["function"]], exp["returns"]["dtype"]):
            errs.append(f"sizes {sizes}: returned {ret}, program gives {np.asarray(env[exp['function']]).tolist()}")

        # access modes: write outputs must not depend on old contents; readwrite ones must
        for p in exp["params"]:
            if p["kind"] != "array" or p["access"] == "read":
                continue
            v2 = dict(values)
            v2[p["name"]] = random_values(rng, p["dtype"], shapes[p["name"]], False) + 1
            ret2, got2 = call(v2)
            same = all(np.array_equal(got2[o], got[o], equal_nan=True) for o in got if o != p["name"])
            same = same and (not exp["returns"] or np.array_equal(np.asarray(ret2), np.asarray(ret)))
            if p["access"] == "write":
                same = same and np.array_equal(got2[p["name"]], got[p["name"]], equal_nan=True)
                if not same:
                    errs.append(f"sizes {sizes}: {p['name']} is marked write but its old contents matter")
            else:
                same = same and np.array_equal(got2[p["name"]], got[p["name"]], equal_nan=True)
                if same:
                    errs.append(f"sizes {sizes}: {p['name']} is marked readwrite but its old contents never matter")
        # a value scalar enters the arithmetic: changing it changes some output
        for p in exp["params"]:
            if p.get("role") != "value":
                continue
            v0 = values[p["name"]]
            for alt in (v0 * 2 + 3, -v0 - 7, 1000, -1000, 0, 1.9, -1.9):
                v2 = dict(values)
                v2[p["name"]] = int(alt) if p["dtype"] == "int" else float(alt)
                ret2, got2 = call(v2)
                if not (all(np.array_equal(got2[o], got[o], equal_nan=True) for o in got)
                        and np.array_equal(np.asarray(ret2), np.asarray(ret))):
                    break
            else:
                inert.setdefault(p["name"], 0)
                inert[p["name"]] += 1
    for name, count in inert.items():
        if count == len(size_sets):   # the effect can be data-dependent (clamps): all trials
            errs.append(f"value scalar {name} does not affect any output")
    return errs


def random_values(rng, dtype, shape, nonzero):
    if dtype == "int":
        v = rng.integers(-9, 10, size=shape)
        if nonzero:
            v = np.where(v == 0, 3, v)
        return v.astype(np.int64)
    v = rng.uniform(-2.0, 2.0, size=shape)
    if nonzero:
        v = np.sign(v + 1e-12) * (np.abs(v) + 0.5)
    return v


def close(got, want, dtype):
    got, want = np.asarray(got, dtype=np.float64), np.asarray(want, dtype=np.float64)
    if got.shape != want.shape:
        return False
    if dtype == "int":
        return bool(np.array_equal(got, want))
    return bool(np.allclose(got, want, rtol=1e-4, atol=1e-4))


_libs = []


def build(path: Path):
    with tempfile.TemporaryDirectory(prefix="tl-corpus-") as tmp:
        so = os.path.join(tmp, path.stem + ".so")
        subprocess.run(["gcc", "-shared", "-fPIC", "-O1", "-I", str(path.parent), "-o", so, str(path), "-lm"],
                       check=True, capture_output=True)
        lib = ctypes.CDLL(so)   # stays mapped after the file is removed
    _libs.append(lib)
    return lib


def main(argv):
    if argv and argv[0] == "--one":
        errs = check_kernel(Path(argv[1]))
        print(json.dumps(errs))
        return 0
    files = [Path(a) for a in argv] or sorted(CORPUS.glob("*/*.c"))
    bad = 0
    for f in files:
        r = subprocess.run([sys.executable, __file__, "--one", str(f)], capture_output=True, text=True,
                           timeout=120)
        try:
            errs = json.loads(r.stdout.strip().splitlines()[-1])
        except (IndexError, json.JSONDecodeError):
            errs = [f"checker crashed (exit {r.returncode}): {r.stderr.strip()[-600:]}"]
        rel = f.resolve().relative_to(CORPUS) if f.resolve().is_relative_to(CORPUS) else f
        if errs:
            bad += 1
            for e in errs:
                print(f"{rel}: {e}")
        else:
            print(f"{rel}: ok")
    print(f"{len(files) - bad} passed, {bad} failed")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
