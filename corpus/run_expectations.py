#!/usr/bin/env python3
"""Run every corpus kernel and check its expectation (`<name>.expect.json`) against what the
C code does.

The C side is read with tensorlift's front end (libclang): parameter kinds, dtypes, struct
fields and the type a struct's `vals` is cast to. The expected program is read and evaluated
with tensorlift's TACO parser and evaluator (`tensorlift.taco.parse`, `tensorlift.taco.evaluate`,
the extended notation included), so TACO's reduction rule is the one of
tensorlift/taco/semantics.py.
For each kernel: compile it into a shared library, build the arguments from the expected
parameters (sizes distinct unless tied, strides = dense row lengths, random values, guard
cells around every array), call it, and compare with the program. Also checks: the kernel is
the last function of the file, the dtypes are the C types, read arrays unchanged, nothing
written outside the expected shapes, `write` outputs independent of their old contents,
`readwrite` outputs dependent on them, every value scalar changes some output, and a returned
value the expectation ignores (TACO's status) is 0.

A C++ kernel (`.cc`, `.cpp`) is compiled with a generated driver instead (`CppKernel`): the
driver takes the parameter and result types from the kernel's signature, builds vectors,
std::arrays and guarded pointer buffers from the expected shapes (`sizes` name the extents read
with `.size()`), and prints every argument and the result; a returned vector is compared with
the program's value under the function's name.

Usage: python corpus/run_expectations.py [--jobs N] [KERNEL.c|.cpp ...]   (default: the whole corpus)
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

from benchmarks.corpus import expectation_path, kernel_files  # noqa: E402
from tensorlift import carith  # noqa: E402
from tensorlift.c import ast as A  # noqa: E402
from tensorlift.c.affine import parse_affine  # noqa: E402
from tensorlift.c.frontend import parse  # noqa: E402
from tensorlift.errors import TensorliftError  # noqa: E402
from tensorlift.taco.evaluate import EvalError, evaluate  # noqa: E402
from tensorlift.taco.ir import Program  # noqa: E402
from tensorlift.taco.parse import parse_program  # noqa: E402

CPP_SUFFIXES = (".cc", ".cpp")
SIZE_DTYPE = "uint64"   # a C++ size (`x.size()`, a size_t) used in a program
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
        c_params = [p for p in exp["params"] if "macro" not in p]   # a size macro is no parameter
        expected = {p["name"]: p for p in c_params}
        by_c: dict[str, list[dict]] = {}
        for p in c_params:
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
    """Floats in [-2, 2]; 8-bit integers over their whole range (pixels), with the first
    element the lowest value and the last the highest, where clamps and zero tests act;
    wider integers small, so that C's arithmetic in `int` never overflows."""
    if carith.is_float(dtype):
        v = rng.uniform(-2.0, 2.0, size=shape)
        return np.sign(v + 1e-12) * (np.abs(v) + 0.5) if nonzero else v
    bits, signed = carith.INT_TYPES[dtype]
    lo, hi = carith.bounds(dtype) if bits <= 8 else (-9, 9) if signed else (0, 18)
    v = rng.integers(lo, hi + 1, size=shape)
    if nonzero:
        return np.where(v == 0, 1, v)
    if bits <= 8 and v.size >= 2:
        v.flat[0], v.flat[-1] = lo, hi
    return v


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
        self.ignored_return = layout.ignored_return
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


# ---------------------------------------------------------------- C++ kernels, through a driver


class CallFailed(Exception):
    """A C++ kernel that could not be compiled, crashed, threw, or gave unreadable output."""


CPP_DRIVER = r'''
// ---- the driver: the kernel's types come from its own signature ----
#include <array>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <iostream>
#include <limits>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

namespace tl_driver {

template <class F> struct signature;
template <class R, class... P> struct signature<R (*)(P...)> {
    using result = R;
    using params = std::tuple<P...>;
};
template <class R, class... P> struct signature<R (*)(P...) noexcept> : signature<R (*)(P...)> {};

// a std::vector or std::array level: `fixed` is the std::array extent, -1 for a vector
template <class T> struct level { static constexpr bool container = false; static constexpr int rank = 0; using elem = T; };
template <class U, class A> struct level<std::vector<U, A>> {
    static constexpr bool container = true;
    static constexpr long fixed = -1;
    static constexpr int rank = 1 + level<U>::rank;
    using inner = U;
    using elem = typename level<U>::elem;
};
template <class U, std::size_t N> struct level<std::array<U, N>> {
    static constexpr bool container = true;
    static constexpr long fixed = (long)N;
    static constexpr int rank = 1 + level<U>::rank;
    using inner = U;
    using elem = typename level<U>::elem;
};

template <class T> std::string dtype_name() {
    if constexpr (std::is_same_v<T, bool>) return "bool";
    else if constexpr (std::is_integral_v<T>) {
        int bits = 8 * (int)sizeof(T);
        if (std::is_signed_v<T>) return bits == 32 ? "int" : "int" + std::to_string(bits);
        return "uint" + std::to_string(bits);
    } else if constexpr (std::is_same_v<T, float>) return "float";
    else if constexpr (std::is_same_v<T, double>) return "double";
    else return "unsupported";
}

template <class T> void extents(std::string& out) {
    if constexpr (level<T>::container) {
        out += level<T>::fixed < 0 ? " -" : " " + std::to_string(level<T>::fixed);
        extents<typename level<T>::inner>(out);
    }
}

// "<kind> <dtype> <writable> <rank> <extents>": kind is scalar, container, pointer or void
template <class P> std::string describe() {
    using D = std::remove_cv_t<std::remove_reference_t<P>>;
    constexpr bool writable = std::is_lvalue_reference_v<P> && !std::is_const_v<std::remove_reference_t<P>>;
    if constexpr (std::is_void_v<P>) return "void - 0 0";
    else if constexpr (std::is_pointer_v<D>) {
        using E = std::remove_pointer_t<D>;
        bool w = !std::is_const_v<E> && std::is_arithmetic_v<E>;
        return std::string("pointer ") + dtype_name<std::remove_cv_t<E>>() + (w ? " 1" : " 0") + " -1";
    } else if constexpr (level<D>::container) {
        std::string ext;
        extents<D>(ext);
        return std::string("container ") + dtype_name<typename level<D>::elem>() + (writable ? " 1 " : " 0 ")
            + std::to_string(level<D>::rank) + ext;
    } else {
        return std::string("scalar ") + dtype_name<D>() + (writable ? " 1" : " 0") + " 0";
    }
}

[[noreturn]] void fail(const std::string& why) {
    std::printf("error %s\n", why.c_str());
    std::fflush(stdout);
    std::exit(3);
}

std::string token() {
    std::string t;
    if (!(std::cin >> t)) fail("input ends early");
    return t;
}

template <class T> T read_value() {
    std::string t = token();
    if constexpr (std::is_integral_v<T>) return (T)std::stoll(t);
    else return (T)std::strtod(t.c_str(), nullptr);
}

template <class T> void print_value(T v) {
    if constexpr (std::is_same_v<T, float>) std::printf(" %.9g", (double)v);
    else if constexpr (std::is_floating_point_v<T>) std::printf(" %.17g", (double)v);
    else if constexpr (std::is_signed_v<T>) std::printf(" %lld", (long long)v);
    else std::printf(" %llu", (unsigned long long)v);
}

template <class T> void fill_from_input(T& v, const std::vector<long>& shape, std::size_t dim) {
    if constexpr (level<T>::container) {
        if constexpr (level<T>::fixed < 0) v.resize(shape[dim]);
        else if (level<T>::fixed != shape[dim]) fail("a std::array extent differs from the expected shape");
        for (auto& e : v) fill_from_input(e, shape, dim + 1);
    } else {
        v = read_value<T>();
    }
}

template <class T> void shape_into(const T& v, std::vector<long>& shape, std::size_t dim, bool& ragged) {
    if constexpr (level<T>::container) {
        if (shape.size() <= dim) shape.push_back((long)v.size());
        else if (shape[dim] != (long)v.size()) ragged = true;
        for (const auto& e : v) shape_into(e, shape, dim + 1, ragged);
    }
}

template <class T> void print_values(const T& v) {
    if constexpr (level<T>::container) { for (const auto& e : v) print_values(e); }
    else print_value(v);
}

// "<ndim> <extents> <values>" in row-major order, or "ragged"
template <class T> void print_any(const T& v) {
    std::vector<long> shape;
    bool ragged = false;
    shape_into(v, shape, 0, ragged);
    if (ragged) { std::printf(" ragged"); return; }
    while ((int)shape.size() < level<T>::rank) shape.push_back(0);
    std::printf(" %d", (int)shape.size());
    for (long n : shape) std::printf(" %ld", n);
    print_values(v);
}

template <class E> E sentinel() {
    if constexpr (std::is_floating_point_v<E>) return std::numeric_limits<E>::quiet_NaN();
    else return (E)std::min<long long>((long long)std::numeric_limits<E>::max(), 1LL << 20);
}

constexpr long PAD = 8;

template <class P> struct Arg {
    using D = std::remove_cv_t<std::remove_reference_t<P>>;
    template <class X> struct pointee { using type = char; };
    template <class X> struct pointee<X*> { using type = std::remove_cv_t<X>; };
    using E = typename pointee<D>::type;

    D value{};
    std::vector<E> store;            // a pointer's buffer, with guard cells
    std::vector<long> shape;
    long count = 0;

    void read() {
        int ndim = std::stoi(token());
        shape.clear();
        for (int d = 0; d < ndim; d++) shape.push_back(std::stol(token()));
        if constexpr (std::is_pointer_v<D>) {
            count = 1;
            for (long n : shape) count *= n;
            store.assign(count + 2 * PAD, sentinel<E>());
            for (long k = 0; k < count; k++) store[PAD + k] = read_value<E>();
            value = store.data() + PAD;
        } else if constexpr (level<D>::container) {
            if (ndim != level<D>::rank) fail("rank differs from the expected shape");
            fill_from_input(value, shape, 0);
        } else {
            if (ndim != 0) fail("a scalar parameter with a shape");
            value = read_value<D>();
        }
    }

    void print(int k) const {
        std::printf("arg %d", k);
        if constexpr (std::is_pointer_v<D>) {
            std::printf(" %d", (int)shape.size());
            for (long n : shape) std::printf(" %ld", n);
            for (long i = 0; i < count; i++) print_value(store[PAD + i]);
            bool ok = true;
            for (long i = 0; i < (long)store.size(); i++) {
                if (i >= PAD && i < PAD + count) continue;
                E s = sentinel<E>();
                if constexpr (std::is_floating_point_v<E>) ok = ok && std::isnan(store[i]);
                else ok = ok && store[i] == s;
            }
            std::printf("\nguard %d %s", k, ok ? "ok" : "bad");
        } else if constexpr (level<D>::container) {
            print_any(value);
        } else {
            std::printf(" 0");
            print_value(value);
        }
        std::printf("\n");
    }
};

template <class Tuple> struct Args;
template <class... P> struct Args<std::tuple<P...>> {
    std::tuple<Arg<P>...> args;

    static void describe_all() {
        int k = 0;
        ((std::printf("param %d %s\n", k++, describe<P>().c_str())), ...);
    }
    void read_all() { std::apply([](auto&... a) { (a.read(), ...); }, args); }
    void print_all() const {
        int k = 0;
        std::apply([&](const auto&... a) { (a.print(k++), ...); }, args);
    }
    template <class F> decltype(auto) call(F f) {
        return std::apply([&](auto&... a) -> decltype(auto) { return f(a.value...); }, args);
    }
};

template <class F> int run(F kernel, int argc, char** argv) {
    using Sig = signature<F>;
    using R = typename Sig::result;
    using All = Args<typename Sig::params>;
    if (argc > 1 && std::string(argv[1]) == "--signature") {
        All::describe_all();
        std::printf("return %s\n", describe<R>().c_str());
        return 0;
    }
    All all;
    all.read_all();
    try {
        if constexpr (std::is_void_v<R>) {
            all.call(kernel);
            all.print_all();
        } else {
            std::remove_cv_t<std::remove_reference_t<R>> r = all.call(kernel);
            all.print_all();
            std::printf("ret");
            if constexpr (level<std::remove_cv_t<std::remove_reference_t<R>>>::container) print_any(r);
            else { std::printf(" 0"); print_value(r); }
            std::printf("\n");
        }
    } catch (const std::exception& e) {
        fail(std::string("the kernel threw: ") + e.what());
    }
    return 0;
}

}  // namespace tl_driver

int main(int argc, char** argv) { return tl_driver::run(tl_driver::kernel, argc, argv); }
'''


class CppKernel:
    """A C++ kernel compiled into one program with a generated driver (`CPP_DRIVER`), which
    reads the kernel's types from its own signature: `--signature` describes the parameters
    and the result, a call reads every argument from stdin (`ndim extents values`), builds
    the vectors, std::arrays and guarded pointer buffers, calls the kernel and prints every
    argument and the result back. Each call is a subprocess, so a crash takes only the call.
    Same call interface as `Kernel`; `errors` lists where the expectation disagrees with the
    C++ types."""

    ignored_return = False

    def __init__(self, path: Path, exp: dict, names: list[str]):
        self.exp, self.params = exp, exp["params"]
        self.tmp = tempfile.TemporaryDirectory(prefix="tl-corpus-cpp-")
        src = Path(self.tmp.name) / "driver.cpp"
        self.exe = str(Path(self.tmp.name) / "driver")
        src.write_text(f'#include "{path}"\n'
                       f"namespace tl_driver {{ constexpr auto kernel = &::{exp['function']}; }}\n"
                       + CPP_DRIVER)
        r = subprocess.run(["g++", "-std=c++17", "-O1", "-D_GLIBCXX_ASSERTIONS", "-I", str(path.parent),
                            "-o", self.exe, str(src)], capture_output=True, text=True)
        if r.returncode:
            raise CallFailed(f"the driver does not compile:\n{r.stderr.strip()[-2000:]}")
        sig = self._run(["--signature"], "")
        params = [ln.split()[2:] for ln in sig if ln.startswith("param ")]
        ret = next(ln.split()[1:] for ln in sig if ln.startswith("return "))
        self.errors = self._agree(names, params, ret)

    def _run(self, args: list[str], stdin: str) -> list[str]:
        try:
            r = subprocess.run([self.exe, *args], input=stdin, capture_output=True, text=True, timeout=60)
        except subprocess.TimeoutExpired:
            raise CallFailed("the kernel did not finish in 60 s") from None
        lines = r.stdout.splitlines()
        for ln in lines:
            if ln.startswith("error "):
                raise CallFailed(ln[len("error "):])
        if r.returncode:
            raise CallFailed(f"the kernel crashed (exit {r.returncode}): {r.stderr.strip()[-600:]}")
        return lines

    def _agree(self, names: list[str], params: list[list[str]], ret: list[str]) -> list[str]:
        errs = []
        expected = [p["name"] for p in self.params]
        if expected != names:
            return [f"params {expected} are not the C++ parameters {names}, in order"]
        for p, (kind, dtype, writable, rank, *fixed) in zip(self.params, params):
            name, writable = p["name"], writable == "1"
            if dtype == "unsupported":
                errs.append(f"{name}: element type not supported here")
                continue
            if kind == "scalar" and not writable:
                want = "scalar"
            elif kind == "scalar":       # a non-const reference: an order-0 output
                want = "array"
                if p["kind"] == "array" and p["shape"] != []:
                    errs.append(f"{name} is a reference to a scalar: shape [], not {p['shape']}")
            else:
                want = "array"
            if p["kind"] != want:
                errs.append(f"{name} is a C++ {want}, the expectation says {p['kind']}")
                continue
            if p["dtype"] != dtype:
                errs.append(f"{name}: dtype {p['dtype']}, C++ says {dtype}")
            if kind == "container":
                errs += self._shape_agrees(name, p["shape"], int(rank), fixed)
            if p["kind"] == "array" and p["access"] != "read" and not writable:
                how = "a pointer to const" if kind == "pointer" else "by value or by const reference"
                errs.append(f"{name} is passed {how}: it cannot be an output ({p['access']})")
        kind, dtype, _, rank, *fixed = ret
        want = self.exp["returns"]
        if kind == "void":
            if want is not None:
                errs.append(f"returns {want}, C++ returns void")
        elif want is None:
            errs.append(f"the C++ function returns a {dtype} {kind}, the expectation returns nothing")
        else:
            if want["dtype"] != dtype:
                errs.append(f"returns dtype {want['dtype']}, C++ returns {dtype}")
            if kind == "container" and "shape" not in want:
                errs.append("the C++ function returns a container: returns needs a shape")
            elif kind == "container":
                errs += self._shape_agrees("the result", want["shape"], int(rank), fixed)
            elif "shape" in want:
                errs.append(f"the C++ function returns a scalar, returns has a shape {want['shape']}")
        return errs

    @staticmethod
    def _shape_agrees(name: str, shape: list, rank: int, fixed: list[str]) -> list[str]:
        if len(shape) != rank:
            return [f"{name} has {rank} dimension(s) in C++, shape {shape}"]
        errs = []
        for extent, n in zip(shape, fixed):
            if n != "-" and str(parse_affine(str(extent))) != n:
                errs.append(f"{name}: a std::array extent is {n}, the shape says {extent}")
        return errs

    def __call__(self, values: dict, shapes: dict, errs: list):
        """(returned value, {array name: its value after the call})."""
        words = []
        for p in self.params:
            v = np.asarray(values[p["name"]])
            shape = shapes[p["name"]] if p["kind"] == "array" else []
            words += [str(len(shape)), *map(str, shape)]
            words += [repr(float(x)) if carith.is_float(p["dtype"]) else str(int(x)) for x in v.reshape(-1)]
        lines = self._run([], " ".join(words) + "\n")
        out, ret = {}, None
        for ln in lines:
            head, *rest = ln.split()
            if head == "guard" and rest[1] != "ok":
                errs.append(f"{self.params[int(rest[0])]['name']} written outside its shape")
            elif head == "arg":
                p = self.params[int(rest[0])]
                if p["kind"] == "array":
                    value = self._value(rest[1:], p["dtype"], p["name"])
                    if list(value.shape) != list(shapes[p["name"]]):
                        errs.append(f"{p['name']} has shape {list(value.shape)} after the call, "
                                    f"expected {shapes[p['name']]}")
                    out[p["name"]] = value
            elif head == "ret":
                ret = self._value(rest, self.exp["returns"]["dtype"], "the result")
                if ret.ndim == 0:
                    ret = ret[()]
        return ret, out

    @staticmethod
    def _value(words: list[str], dtype: str, name: str) -> np.ndarray:
        if words[0] == "ragged":
            raise CallFailed(f"{name} has rows of different lengths")
        ndim = int(words[0])
        shape = [int(w) for w in words[1:1 + ndim]]
        items = words[1 + ndim:]
        conv = float if carith.is_float(dtype) else int
        return np.array([conv(w) for w in items], dtype=carith.NUMPY[dtype]).reshape(shape)


def cpp_parameter_names(unit, function: str) -> list[str]:
    """The C++ function's parameter names, in order, from the libclang cursor."""
    return [a.spelling for a in unit.defs[function].get_arguments()]


def same(a: dict, b: dict, ret_a, ret_b) -> bool:
    """Two calls gave the same outputs, bit for bit (NaN equal to NaN); a returned value may
    be an array (C++)."""
    if (ret_a is None) != (ret_b is None):
        return False
    if ret_a is not None:
        ra, rb = np.asarray(ret_a), np.asarray(ret_b)
        if ra.shape != rb.shape or not np.all((ra == rb) | ((ra != ra) & (rb != rb))):
            return False
    return all(a[k].shape == b[k].shape and np.array_equal(a[k], b[k], equal_nan=True) for k in a)


def show(v):
    return np.asarray(v).tolist()


def check_kernel(path: Path) -> list[str]:
    side = expectation_path(path)
    if not side.exists():
        return [f"no expectation {side.name} beside the kernel"]
    exp = json.loads(side.read_text())
    cpp = path.suffix in CPP_SUFFIXES
    layout = None
    try:
        unit = parse(path, ["-I", str(path.parent)])
        functions = unit.functions()
        if functions[-1] != exp["function"]:
            return [f"the last function is {functions[-1]}, expected {exp['function']}"]
        if cpp:
            names = cpp_parameter_names(unit, exp["function"])
        else:
            layout = Layout(unit.kernel(exp["function"]), exp)
        program = parse_program(exp["program"])
    except TensorliftError as e:
        return [str(e)]
    if not isinstance(program, Program):
        return ["the program has cases (`if ...:`); a sidecar holds one program"]
    if layout is not None and layout.errors:
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
    extents = exp.get("sizes", [])            # C++ extents from .size(): no parameters
    dtypes.update({n: SIZE_DTYPE for n in extents})
    denominators = set(exp.get("denominators", []))
    if cpp:
        try:
            kernel = CppKernel(path, exp, names)
        except CallFailed as e:
            return [str(e)]
        if kernel.errors:
            return kernel.errors
    else:
        kernel = Kernel(path, layout, exp["function"])
    macros = {p["name"]: p["macro"] for p in params if "macro" in p}   # fixed by the file
    dims = [p["name"] for p in params if p["kind"] == "scalar" and p["role"] == "dimension"
            and p["name"] not in macros] + extents
    rng = np.random.default_rng(7)
    errs: list[str] = []
    inert: dict[str, int] = {}
    for base_sizes in SIZE_SETS:
        sizes: dict[str, int] = dict(macros)
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
        values.update({n: sizes[n] for n in extents})
        call_errs: list[str] = []
        try:
            ret, got = kernel(values, shapes, call_errs)
        except CallFailed as e:
            return errs + [f"{where}{e}"]
        errs += [where + e for e in call_errs]
        env = dict(values)
        if result and "shape" in exp["returns"]:      # a returned C++ container
            ret_shape = [parse_affine(s).eval(sizes) for s in exp["returns"]["shape"]]
            env[result] = np.zeros(ret_shape, dtype=carith.NUMPY[dtypes[result]])
            if list(np.shape(ret)) != ret_shape:
                errs.append(f"{where}the result has shape {list(np.shape(ret))}, expected {ret_shape}")
        try:
            want = evaluate(program, env, dtypes)
        except (TensorliftError, EvalError) as e:
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
            errs.append(f"{where}returned {show(ret)}, the program gives {show(want[result])}")
        if kernel.ignored_return and ret != 0:
            errs.append(f"{where}returned {ret}, but the expectation returns nothing (a status 0)")

        # access modes: write outputs must not depend on old contents; readwrite ones must
        for p in params:
            if p["kind"] != "array" or p["access"] == "read":
                continue
            changed = dict(values)
            changed[p["name"]] = c_values(rng, p["dtype"], shapes[p["name"]], False) + 1
            try:
                ret2, got2 = kernel(changed, shapes, [])
            except CallFailed as e:
                return errs + [f"{where}with other contents of {p['name']}: {e}"]
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
                try:
                    ret2, got2 = kernel(changed, shapes, [])
                except CallFailed as e:
                    return errs + [f"{where}with {p['name']} = {v}: {e}"]
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
