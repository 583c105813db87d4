"""Input/output examples from running the real C code.

The compiled harness (`harness.py`) runs in a separate process under time and memory limits,
so a kernel that crashes or never ends is reported and cannot take tensorlift down. The same
inputs also run through the interpreter, which verification relies on: if the two disagree,
we say where (the array, an element, both values and the C line that wrote it) instead of
going on.
"""
from __future__ import annotations

import math
import signal
import subprocess
from dataclasses import dataclass
from typing import Optional

import numpy as np

from .. import carith
from ..errors import KernelRunError, TensorliftError
from ..signature import Example
from . import ast as A
from .analysis import Analysis, Region
from .harness import Build, slot_key, smoke_sizes, start_build
from .interp import REDRAWS, Interpreter, NeverDefined, Undefined
from .scalarcases import both_sides, scalar_conditions, truths
from .sizecases import allowed
from .slots import Slot, array_pointer, bind

TIME_LIMIT = 10.0            # seconds for one run of the compiled kernel
SMOKE_LIMIT = 1.0            # seconds for the first run, which only checks that the kernel ends
SMOKE_ELEMENTS = 1 << 12     # elements of every array in that run (more costs time on every lift)
MEMORY_LIMIT = 2 << 30       # bytes of address space for a run


# ---------------------------------------------------------------- layouts


# ---------------------------------------------------------------- values


def sample_sizes(analysis: Analysis, variant: int) -> dict[str, int]:
    """Distinct, non-square sizes; the second variant permutes and grows them; variants 2
    and 3 are the first two in descending order (for kernels with loops to `n - m`). When
    analysis had to start from other sizes for every loop to run (`H - KH + 1` iterations),
    those, and then the same grown in the same order. In a case of a size check, the
    nearest sizes the case allows."""
    free = analysis.free_dims
    base = [analysis.base.get(d, 3 + i) for i, d in enumerate(free)]
    if base != _plain(len(free), 0):
        rank = {d: r for r, d in enumerate(sorted(free, key=lambda d: base[free.index(d)]))}
        vals = base if variant % 2 == 0 else [v + rank[d] + 1 for v, d in zip(base, free)]
    else:
        vals = _plain(len(free), variant)
    if variant >= 2:
        vals = sorted(vals, reverse=True)
    return case_sizes(analysis, dict(zip(free, vals)))


def _plain(k: int, variant: int) -> list[int]:
    """3, 4, 5, ...; the second variant permuted and grown."""
    if variant % 2 == 0:
        return [3 + i for i in range(k)]
    vals = [4 + (i + 1) % max(1, k) + (1 if i == 0 else 0) for i in range(k)]
    return [v if v not in vals[:i] else max(vals) + 1 for i, v in enumerate(vals)]


def case_sizes(analysis: Analysis, free: dict[str, int]) -> dict[str, int]:
    """Every size, from the free dimensions' (moved into the case of the size checks being
    lifted, where it has one)."""
    where = analysis.where
    if where is not None:
        free = allowed(where, lambda p: where.holds(analysis.sizes(p)), free, analysis.free_dims) or free
    return analysis.sizes(free)


def example_sizes(analysis: Analysis, count: int) -> list[dict[str, int]]:
    """The sizes of `count` examples (alternating the first two variants; the last at the
    plain permuted sizes when analysis started elsewhere), then, for the
    dimensions that drive unrolled loops (blocks of B), one example per remainder r < B at
    two full blocks plus r: every unrolled body runs twice and every remainder loop runs
    every length it can, in some example; and one at the sizes the bounded proof reaches."""
    out = [sample_sizes(analysis, i % 2) for i in range(count)]
    free = analysis.free_dims
    if count >= 3 and [analysis.base.get(d) for d in free] != _plain(len(free), 0):
        # the last at the plain sizes permuted all the same: some loop may not run there (a
        # window longer than the signal), and a program must get that edge right too
        out[-1] = case_sizes(analysis, dict(zip(free, _plain(len(free), 1))))
    blocks = analysis.blocks()
    base = {d: out[0][d] for d in analysis.free_dims}
    for r in range(max(blocks.values(), default=0)):
        out.append(case_sizes(analysis, {**base, **{d: 2 * b + r % b for d, b in blocks.items()}}))
    # and once as far as the loops' constants ask the proof to go (`if (i >= 32)` in a loop
    # of blocks of 16: the third block), so that what runs only there is in an example too
    far = {d: n for d, n in analysis.proof_bounds(0).items() if n > max(s[d] for s in out)}
    if far:
        out.append(case_sizes(analysis, {**base, **far}))
    return out


def random_values(rng: np.random.Generator, dtype: str, n: int, nonzero: bool = False) -> np.ndarray:
    """Sample values of a C type: 8-bit integers over their whole range (so that wrapping
    shows), wider integers small and signed ones negative too, floats with two decimals and
    some zeros. `nonzero` keeps zeros out (denominators)."""
    if carith.is_int(dtype):
        lo, hi = carith.bounds(dtype)
        if carith.INT_TYPES[dtype][0] > 8:
            lo, hi = max(lo, -9), min(hi, 9 if lo < 0 else 18)
        v = rng.integers(lo, hi + 1, size=n)
        if nonzero:
            v[v == 0] = 1
        return v.astype(np.int64)
    v = np.round(rng.uniform(-4, 4, size=n), 2)
    v[rng.random(n) < 0.1] = 0.0
    if nonzero:
        v[v == 0] = 1.5
    if dtype == "float":
        v = v.astype(np.float32).astype(np.float64)   # what the C will hold
    return v


@dataclass
class Case:
    sizes: dict[str, int]
    scalars: dict[str, object]
    flats: dict[str, np.ndarray]        # every array's whole buffer before the call
    regions: dict[str, Region]


def make_case(analysis: Analysis, sizes: dict[str, int], rng: np.random.Generator) -> Case:
    sig = analysis.signature
    scalars, flats, regions = {}, {}, {}
    for s in analysis.slots:
        if s.is_return:
            reg = regions[s.name] = Region.of(analysis.layouts[s.name], sizes)
            flats[s.name] = np.zeros(reg.flat_size(), dtype=np.int64 if carith.is_int(s.dtype) else np.float64)
            continue
        if s.pinned is not None:
            scalars[s.name] = s.pinned
            continue
        p = sig.param(s.name)
        if s.kind == "scalar":
            if s.name in sizes or s.name in analysis.fixed:
                scalars[s.name] = sizes.get(s.name, analysis.fixed.get(s.name))
            else:
                scalars[s.name] = _number(random_values(rng, s.dtype, 1, nonzero=True)[0], s.dtype)
            continue
        reg = regions[s.name] = Region.of(analysis.layouts[s.name], sizes)
        if p.access == "write":
            flats[s.name] = np.zeros(reg.flat_size(), dtype=np.int64 if carith.is_int(s.dtype) else np.float64)
        else:
            flats[s.name] = random_values(rng, s.dtype, reg.flat_size(), s.name in analysis.flows.divisors)
    return Case(sizes, scalars, flats, regions)


def _example(analysis: Analysis, case: Case, written: dict[str, np.ndarray], ret) -> Example:
    sig = analysis.signature
    inputs: dict = {}
    outputs: dict = {}
    for s in analysis.slots:
        if s.is_return or s.pinned is not None:
            continue
        p = sig.param(s.name)
        if s.kind == "scalar":
            inputs[s.name] = case.scalars[s.name]
        else:
            reg = case.regions[s.name]
            if p.access != "write":
                inputs[s.name] = reg.gather(case.flats[s.name])
            if p.access != "read":
                outputs[s.name] = reg.gather(written[s.name])
    if sig.returns:
        outputs[sig.function] = case.regions[sig.function].gather(written[sig.function]) \
            if sig.returns_shape is not None else ret
    return Example({k: v for k, v in case.sizes.items() if sig.param(k).role == "dimension"}, inputs, outputs)


# ---------------------------------------------------------------- the compiled run


def stdin_bytes(slots: list[Slot], cases: list[Case], timing: int = 0) -> bytes:
    vals: list = [np.array([len(cases), timing], dtype=np.float64)]
    for c in cases:
        for s in slots:
            if s.macro or s.size_of or s.is_return or s.pinned is not None:
                continue
            if s.kind == "scalar":
                vals.append(np.array([c.scalars[s.name]], dtype=np.float64))
                continue
            reg = c.regions[s.name]
            vals.append(np.array([reg.inner_size if reg.rows else reg.flat_size(), reg.nrows], dtype=np.float64))
            vals.append(c.flats[s.name].astype(np.float64))
    return np.concatenate(vals).tobytes()


def limited(command: list[str], cpu_seconds: int) -> list[str]:
    """The command under memory and CPU-time limits and without core dumps. A shell sets the
    limits and execs the command (no Python runs between fork and exec, which threads would
    forbid). CPU time, unlike wall time, does not grow when the machine is busy, so a loaded
    machine cannot make a kernel look endless."""
    kib = MEMORY_LIMIT // 1024
    limits = f"ulimit -v {kib} 2>/dev/null; ulimit -t {cpu_seconds} 2>/dev/null; ulimit -c 0 2>/dev/null"
    return ["/bin/sh", "-c", f'{limits}; exec "$0" "$@"', *command]


@dataclass
class Run:
    """One sample's results: the returned value, every array's buffer after the call, and the
    guard bytes around each that the call changed."""
    ret: object
    arrays: dict[str, np.ndarray]
    guards: dict[str, int]


def returned_dtype(kernel) -> Optional[str]:
    """The dtype of the kernel's return value, which the harness prints (None for void)."""
    t = A.strip_ref(kernel.returns)
    return t.dtype if isinstance(t, A.Scalar) else None


def run_harness(exe, slots: list[Slot], cases: list[Case], returns: Optional[str],
                time_limit: float = TIME_LIMIT, timing: int = 0) -> tuple[list[Run], str]:
    """Runs the compiled harness on the cases; returns the runs and what it printed on stderr.
    `returns`: the dtype of the kernel's return value (`returned_dtype`). `time_limit` is in
    CPU seconds; wall time gets as much again plus a second, for a kernel that blocks."""
    endless = KernelRunError(f"the kernel did not finish within {time_limit:g} s at sizes {cases[0].sizes}")
    try:
        proc = subprocess.run(limited([str(exe)], math.ceil(time_limit)), input=stdin_bytes(slots, cases, timing),
                              capture_output=True, timeout=2 * time_limit + 1)
    except subprocess.TimeoutExpired:
        raise endless from None
    if proc.returncode != 0:
        if proc.returncode in (-signal.SIGXCPU, -signal.SIGKILL):
            raise endless
        if proc.returncode < 0:
            name = signal.Signals(-proc.returncode).name
            raise KernelRunError(f"the kernel crashed ({name}) at sizes {cases[0].sizes}")
        raise KernelRunError(f"the kernel's process exited with status {proc.returncode}")
    nums = np.frombuffer(proc.stdout, dtype=np.float64)
    runs, pos = [], 0
    for c in cases:
        ret = None
        if returns:
            ret = _typed(nums[pos:pos + 1], returns)[0]
            pos += 1
        arrays, guards = {}, {}
        for s in slots:
            if s.is_return:        # a returned vector: rows, columns, elements
                rows, cols = int(nums[pos]), int(nums[pos + 1])
                if cols < 0:
                    raise KernelRunError(f"the returned vector's rows differ in length at sizes {c.sizes}: "
                                         "tensorlift lifts rectangular vectors of vectors only")
                want = c.regions[s.name]
                if (rows, cols) != ((want.nrows, want.inner_size) if want.rows else (want.inner_size, 1)):
                    raise KernelRunError(f"the returned vector has {rows} x {cols} elements at sizes {c.sizes}, "
                                         f"where analysis expects shape {want.shape}")
                arrays[s.name] = _typed(nums[pos + 2:pos + 2 + rows * cols], s.dtype)
                pos += 2 + rows * cols
        for s in slots:
            if s.kind != "array" or s.is_return:
                continue
            n = len(c.flats[s.name])
            arrays[s.name] = _typed(nums[pos:pos + n], s.dtype)
            guards[s.name] = int(nums[pos + n]) if pos + n < len(nums) else 0
            pos += n + 1
        runs.append(Run(ret, arrays, guards))
    if pos != len(nums):
        raise KernelRunError("the kernel's process stopped before printing every result")
    return runs, proc.stderr.decode(errors="replace")


def _typed(values: np.ndarray, dtype: str) -> np.ndarray:
    return values.astype(np.int64) if carith.is_int(dtype) else values.copy()


def smoke_run(kernel, analysis_slots: list[Slot], roles: dict[str, str], build: Build) -> None:
    """The compiled kernel once, at small sizes with large buffers, before anything is
    interpreted: a kernel that never ends is caught here in about a second. A crash is left
    for the example runs to report with the right buffer sizes."""
    exe = build.exe()
    dims = [n for n, r in roles.items() if r == "dimension"]
    rng = np.random.default_rng(0)
    scalars = smoke_sizes(analysis_slots, roles)
    # a global's storage is the kernel's own: its size is left alone
    regions = {s.name: Region((1,), (1,), False) if s.is_global else _smoke_region(s, scalars)
               for s in analysis_slots if s.kind == "array"}
    flats = {n: random_values(rng, next(s.dtype for s in analysis_slots if s.name == n), r.flat_size(), True)
             for n, r in regions.items()}
    case = Case({d: scalars[d] for d in dims}, scalars, flats, regions)
    try:
        run_harness(exe, analysis_slots, [case], returned_dtype(kernel), time_limit=SMOKE_LIMIT)
    except KernelRunError as e:
        if "did not finish" in str(e):
            raise KernelRunError(f"the kernel did not finish within {SMOKE_LIMIT:g} s at sizes "
                                 f"{case.sizes}: it may never end") from None


def _smoke_region(s: Slot, scalars: dict) -> Region:
    """Large buffers, except where a C++ vector's size is a size the kernel reads (its
    loops run to it) or fixed."""
    default = (64, SMOKE_ELEMENTS // 64) if s.rows else (SMOKE_ELEMENTS,)
    shape = []
    for level, n in enumerate(default):
        size = s.sizes[level] if s.vector and s.sizes and level < len(s.sizes) else None
        fixed = s.fixed[level] if s.vector and s.fixed and level < len(s.fixed) else None
        shape.append(fixed or (scalars[size] if size in scalars else n))
    return Region(tuple(shape), (1,) * len(shape), s.rows)


# ---------------------------------------------------------------- the interpreted run


def run_interpreted(analysis: Analysis, case: Case):
    """The same call in the interpreter: every array's buffer after the call (flat, as the
    harness prints them), the return, and each array's last store site by flat offset."""
    arrays, bufs = {}, {}
    for s in analysis.slots:
        if s.kind == "array" and not s.is_return:
            reg, flat = case.regions[s.name], case.flats[s.name]

            def init(off, reg=reg, flat=flat, dtype=s.dtype, name=s.name):
                pos = reg.flat_offset(off)
                if not 0 <= pos < len(flat):
                    raise KernelRunError(f"the kernel reads outside the region of '{name}' that "
                                         f"analysis found, at sizes {case.sizes}")
                v = flat[pos]
                return int(v) if carith.is_int(dtype) else float(v)
            arrays[s.name], bufs[s.name] = array_pointer(s, init, trace=[])
    ret = Interpreter(analysis.kernel).call(*bind(analysis.kernel, analysis.slots, case.scalars, arrays))
    for s in analysis.slots:
        if s.is_return:
            bufs[s.name] = ret.buf
    written, writers = {}, {}
    for s in analysis.slots:
        if s.kind == "array":
            reg = case.regions[s.name]
            out = case.flats[s.name].copy()
            for off, v in bufs[s.name].data.items() if not s.by_value else ():
                pos = reg.flat_offset(off)
                if 0 <= pos < len(out):
                    out[pos] = v
            written[s.name] = out
            writers[s.name] = {reg.flat_offset(off): site.line for site, off, _, w, _ in bufs[s.name].trace or () if w}
    return written, ret, writers


def make_examples(analysis: Analysis, count: int = 6, seed: int = 0, cross_check: bool = True,
                  time_limit: float = TIME_LIMIT, build: Optional[Build] = None) -> list[Example]:
    """`count` examples, half at each of two size variants. An array that analysis took
    for read-only but that some example changes becomes an input and output ("readwrite")."""
    if count < 1:
        raise TensorliftError("at least one example is needed")
    rng = np.random.default_rng(seed)
    cases = [defined_case(analysis, sizes, rng) for sizes in example_sizes(analysis, count)]
    _both_sides(analysis, cases, rng)
    sig = analysis.signature
    runs = [None] * len(cases)
    for macros, idx in _by_macros(analysis, cases).items():
        b = build if build is not None and build.slots == slot_key(analysis.slots) \
            and build.macros == dict(macros) else start_build(analysis.kernel, analysis.slots, macros=dict(macros))
        got, _ = run_harness(b.exe(), analysis.slots, [cases[i] for i in idx],
                             returned_dtype(analysis.kernel), time_limit)
        for i, r in zip(idx, got):
            runs[i] = r
    for s in analysis.slots:
        if s.kind != "array" or s.is_return:
            continue
        bad = [c.sizes for c, r in zip(cases, runs) if r.guards.get(s.name)]
        if bad:
            raise KernelRunError(f"the kernel writes outside the region of '{s.name}' that analysis "
                                 f"found (shape {sig.param(s.name).shape}) at sizes {bad[0]}")
        p = sig.param(s.name)
        if p.access == "read" and any(not np.array_equal(r.arrays[s.name], c.flats[s.name], equal_nan=True)
                                      for c, r in zip(cases, runs)):
            p.access = "readwrite"
    if cross_check:
        _cross_check(analysis, cases[0], runs[0])
    return [_example(analysis, c, r.arrays, r.ret) for c, r in zip(cases, runs)]


def defined_case(analysis: Analysis, sizes: dict[str, int], rng: np.random.Generator) -> Case:
    """A case on which the C is defined: values are drawn again while the interpreter finds
    a zero divisor, a shift past the type's width or a failed assertion (an integer
    `1 / (1 + f(-x))` at the one x that zeroes it). Kernels without such operations on
    computed operands are run once, by the cross-check, not here."""
    case = make_case(analysis, sizes, rng)
    if not may_be_undefined(analysis.kernel):
        return case
    for _ in range(REDRAWS):
        try:
            run_interpreted(analysis, case)
            return case
        except Undefined as e:
            reason = e
        case = make_case(analysis, sizes, rng)
    raise NeverDefined(f"the C is undefined on every input drawn at sizes {sizes}: {reason}")


def may_be_undefined(kernel: A.Kernel) -> bool:
    """Whether the kernel divides, takes a remainder or shifts by a computed integer, or
    asserts: what makes some inputs undefined."""
    for f in kernel.functions.values():
        for node in A.walk(f.body):
            if isinstance(node, A.Call) and node.func == "__assert_fail":
                return True
            op = node.op.rstrip("=") if isinstance(node, A.Assign) else node.op if isinstance(node, A.Binary) else None
            right = node.value if isinstance(node, A.Assign) else getattr(node, "right", None)
            if op in ("/", "%", "<<", ">>") and isinstance(node.type, A.Scalar) and carith.is_int(node.type.dtype) \
                    and not isinstance(right, A.Lit):
                return True
    return False


def _both_sides(analysis: Analysis, cases: list[Case], rng: np.random.Generator) -> None:
    """Where a branch on value scalars alone went one way in every example, the scalars of
    the last examples are drawn again to take the other way (both ways, when there are
    several such branches)."""
    roles = {p.name: p.role for p in analysis.signature.params}     # a pinned slot is no parameter
    values = [s for s in analysis.slots if s.kind == "scalar" and roles.get(s.name) == "value"
              and s.field is None and not s.is_global]
    conds = scalar_conditions(analysis.kernel, {s.name for s in values})
    if not conds:
        return
    seen = {(k, t) for c in cases for k, t in enumerate(truths(analysis.kernel, conds, c.scalars))}

    def draw():
        return {s.name: _number(random_values(rng, s.dtype, 1, nonzero=True)[0], s.dtype) for s in values}
    spare = len(cases) - 1
    for side in both_sides(analysis.kernel, conds, draw):
        new = {(k, t) for k, t in enumerate(truths(analysis.kernel, conds, side))}
        if new - seen and spare > 0:
            cases[spare].scalars.update(side)
            seen |= new
            spare -= 1


def _number(v, dtype: str):
    return int(v) if carith.is_int(dtype) else float(v)


def _by_macros(analysis: Analysis, cases: list[Case]) -> dict[tuple, list[int]]:
    """Cases grouped by the values of the size macros: each group needs its own build."""
    groups: dict[tuple, list[int]] = {}
    for i, c in enumerate(cases):
        key = tuple((s.name, c.scalars[s.name]) for s in analysis.slots if s.macro)
        groups.setdefault(key, []).append(i)
    return groups


def _cross_check(analysis: Analysis, case: Case, run: Run) -> None:
    """The interpreter must agree with the compiled C; if not, say where."""
    sig = analysis.signature
    written, ret, writers = run_interpreted(analysis, case)
    rtol = carith.tolerance(p.dtype for p in sig.params)
    scale = max([float(np.max(np.abs(f))) for f in case.flats.values() if f.size and np.all(np.isfinite(f))] or [1.0])
    for s in analysis.slots:
        if s.kind != "array":
            continue
        got, want = written[s.name], run.arrays[s.name]
        ok = carith.close(got, want, s.dtype, rtol, scale)
        if not np.all(ok):
            pos = int(np.argwhere(~ok)[0][0])
            reg = case.regions[s.name]
            where = np.argwhere(reg.offsets() == pos)
            elem = f"{s.name}{[int(k) for k in where[0]]}" if len(where) else f"{s.name} at offset {pos}"
            line = writers[s.name].get(pos)
            raise TensorliftError(
                f"interpreter and compiled C disagree on {elem} at sizes {case.sizes}: the C gives "
                f"{want[pos].item()!r}, the interpreter {got[pos].item()!r}"
                + (f" (written at line {line})" if line else "")
                + "; the kernel relies on behaviour tensorlift does not model")
    if sig.returns and sig.returns_shape is None and not carith.matches(ret, run.ret, sig.returns, rtol, scale):
        raise TensorliftError(f"interpreter and compiled C disagree on the returned value at sizes "
                              f"{case.sizes}: the C gives {np.asarray(run.ret).item()!r}, the interpreter {ret!r}")
