"""Input/output examples from running the real C code.

The kernel is compiled together with a generated `main` that reads every argument
from stdin, calls the function, and prints every written buffer; it runs as a separate
process with time and memory limits, so a kernel that crashes or never ends is reported
and cannot take tensorlift down. The same inputs also run through the interpreter, which
verification relies on: if the two disagree, we say so instead of going on.
"""
from __future__ import annotations

import math
import signal
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

import numpy as np

from .analysis import Analysis, Layout
from ..synth.check import matches
from ..errors import KernelRunError, TensorliftError
from .frontend import Array, Pointer, Struct, find_compiler
from .interp import Interpreter
from ..signature import Example
from .slots import ROW_PITCH, Slot, _ctype_text, _param_decls, array_pointer, bind

TIME_LIMIT = 10.0            # seconds for one run of the compiled kernel
MEMORY_LIMIT = 2 << 30       # bytes of address space for that run


# ---------------------------------------------------------------- layouts


@dataclass
class Region:
    """A shaped array stored in a flat buffer (or in rows, for `T **`)."""
    shape: tuple[int, ...]
    strides: tuple[int, ...]
    rows: bool

    @staticmethod
    def of(layout: Layout, sizes: dict[str, int]) -> "Region":
        return Region(tuple(max(0, e.eval(sizes)) for e in layout.shape),
                      tuple(s.eval(sizes) for s in layout.strides), layout.rows)

    @property
    def inner_size(self) -> int:
        """Elements of one row (rows arrays) or of the whole buffer."""
        dims = list(zip(self.shape, self.strides))[1 if self.rows else 0:]
        if any(e == 0 for e, _ in dims):
            return 0
        return 1 + sum((e - 1) * s for e, s in dims)

    @property
    def nrows(self) -> int:
        return self.shape[0] if self.rows else 1

    def offsets(self) -> np.ndarray:
        """Flat offset (rows arrays: row * inner_size + offset in row) of every element."""
        if not self.shape:
            return np.zeros((), dtype=np.int64)
        idx = np.indices(self.shape, dtype=np.int64)
        strides = list(self.strides)
        if self.rows:
            strides[0] = self.inner_size
        return sum(i * s for i, s in zip(idx, strides))

    def flat_size(self) -> int:
        return self.nrows * self.inner_size if self.rows else max(self.inner_size, 1)

    def gather(self, flat: np.ndarray) -> np.ndarray:
        return flat[self.offsets()]

    def interp_offset(self, flat_off: int) -> int:
        """Interpreter offset of a flat offset (rows lie ROW_PITCH apart there)."""
        if not self.rows:
            return flat_off
        r, c = divmod(flat_off, self.inner_size)
        return r * ROW_PITCH + c


# ---------------------------------------------------------------- values


def sample_sizes(analysis: Analysis, variant: int) -> dict[str, int]:
    """Distinct, non-square sizes; the second variant permutes and grows them."""
    free = analysis.free_dims
    if variant == 0:
        vals = [3 + i for i in range(len(free))]
    else:
        vals = [4 + (i + 1) % max(1, len(free)) + (1 if i == 0 else 0) for i in range(len(free))]
        vals = [v if v not in vals[:i] else max(vals) + 1 for i, v in enumerate(vals)]
    return analysis.sizes(dict(zip(free, vals)))


def _random_values(rng: np.random.Generator, dtype: str, n: int, nonzero: bool) -> np.ndarray:
    if dtype == "int":
        v = rng.integers(-9, 10, size=n)
        if nonzero:
            v[v == 0] = rng.choice([-1, 1, 2, 3], size=int((v == 0).sum()))
        return v.astype(np.int64)
    v = np.round(rng.uniform(-4, 4, size=n), 2)
    v[rng.random(n) < 0.1] = 0.0
    if nonzero:
        v[v == 0] = 1.5
    return v   # float kernels get these doubles rounded to float by the C call


@dataclass
class _Case:
    sizes: dict[str, int]
    scalars: dict[str, object]
    flats: dict[str, np.ndarray]        # every array's whole buffer before the call
    regions: dict[str, Region]


def _make_case(analysis: Analysis, sizes: dict[str, int], rng: np.random.Generator) -> _Case:
    sig = analysis.signature
    scalars, flats, regions = {}, {}, {}
    for s in analysis.slots:
        p = sig.param(s.name)
        if s.kind == "scalar":
            if s.name in sizes:
                scalars[s.name] = sizes[s.name]
            else:
                v = _random_values(rng, s.dtype, 1, nonzero=True)[0]
                scalars[s.name] = int(v) if s.dtype == "int" else float(v)
            continue
        reg = regions[s.name] = Region.of(analysis.layouts[s.name], sizes)
        if p.access == "write":
            flats[s.name] = np.zeros(reg.flat_size(), dtype=np.int64 if s.dtype == "int" else np.float64)
        else:
            flats[s.name] = _random_values(rng, s.dtype, reg.flat_size(), s.name in analysis.flows.divisors)
    return _Case(sizes, scalars, flats, regions)


def _example(analysis: Analysis, case: _Case, written: dict[str, np.ndarray], ret) -> Example:
    sig = analysis.signature
    inputs: dict = {}
    outputs: dict = {}
    for s in analysis.slots:
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
        outputs[sig.function] = ret
    return Example({k: v for k, v in case.sizes.items() if sig.param(k).role == "dimension"}, inputs, outputs)


# ---------------------------------------------------------------- the compiled run


def _harness(analysis: Analysis, timing: int = 0) -> str:
    """C `main` that reads each sample's arguments from stdin, calls the kernel and prints
    the return value and every written buffer, then `#`. With `timing` > 0 it then also
    times the kernel call alone (see `_timing_loop`) and prints one line to stderr,
    `tensorlift-time <best seconds per call> <calls per batch>`; stdout is unchanged."""
    k = analysis.kernel
    types = dict(k.params)
    lines = ["static double rd(void) { double v; if (scanf(\"%lf\", &v) != 1) exit(3); return v; }",
             "int main(void) {", "  int samples = (int)rd();", "  for (int sample = 0; sample < samples; sample++) {"]
    args: dict[str, str] = {}
    out: list[str] = []
    for i, s in enumerate(analysis.slots):
        t = types[s.param]
        struct_var = f"st_{s.param}"
        if s.field is not None and s.param not in args:
            lines.append(f"    {_ctype_text(_param_decls(k)[s.param])} {struct_var};")
            lines.append(f"    memset(&{struct_var}, 0, sizeof {struct_var});")
            args[s.param] = f"&{struct_var}" if isinstance(t, Pointer) else struct_var
        target = f"{struct_var}.{s.field}" if s.field else None
        if s.kind == "scalar":
            if s.field is None:
                lines.append(f"    {s.ctype} a{i} = ({s.ctype})rd();")
                args[s.param] = f"a{i}"
            elif s.subscript is None:
                lines.append(f"    {target} = rd();")
            else:
                ft = _field_type(analysis, s)
                if isinstance(ft, Pointer):
                    lines.append(f"    if (!{target}) {target} = calloc(16, sizeof(*{target}));")
                lines.append(f"    {target}[{s.subscript}] = rd();")
            continue
        elem = s.ctype or (f"__typeof__(**{target})" if s.rows else f"__typeof__(*{target})")
        lines += [f"    long n{i} = (long)rd(), r{i} = (long)rd();",
                  f"    {elem} *b{i} = malloc((n{i} * r{i} + 1) * sizeof({elem}));",
                  f"    for (long q = 0; q < n{i} * r{i}; q++) b{i}[q] = ({elem})rd();"]
        if s.rows:
            lines += [f"    {elem} **p{i} = malloc((r{i} + 1) * sizeof({elem} *));",
                      f"    for (long q = 0; q < r{i}; q++) p{i}[q] = b{i} + q * n{i};"]
        ptr = f"p{i}" if s.rows else f"b{i}"
        if s.field is None:
            args[s.param] = f"(void *){ptr}"
        else:
            lines.append(f"    {target} = (void *){ptr};")
        if analysis.signature.param(s.name).access != "read":
            out.append(f"    for (long q = 0; q < n{i} * r{i}; q++) " + _print(f"b{i}[q]", s.dtype))
    call = f"{k.name}({', '.join(args[n] for n, _ in k.params)})"
    rt = analysis.signature.returns
    lines.append(f"    {_print(call, rt) if rt else call + ';'}")
    lines += out + ['    printf("#\\n"); fflush(stdout);']
    if timing > 0:
        lines += _timing_loop(analysis, [args[n] for n, _ in k.params], timing)
    lines += ["  }", "  return 0;", "}"]
    return "\n".join(lines) + "\n"


TIMING_BATCH = 1e-3   # seconds: a timed batch repeats the call until it lasts at least this


def _timing_loop(analysis: Analysis, args: list[str], repeats: int) -> list[str]:
    """C lines that time the kernel call: batches of `inner` calls, `inner` doubling from 1
    until a batch lasts TIMING_BATCH, then `repeats` batches (the calibrating one counts);
    the best batch time per call goes to stderr. The call goes through a volatile function
    pointer, so the optimiser can neither inline it nor drop a call whose result is unused.
    Buffers the kernel reads and writes are restored from a copy (untimed) before each batch;
    within a batch of several calls each call sees the previous call's result."""
    k = analysis.kernel
    lines = ["    {", f"      __typeof__({k.name}) *volatile tl_fn = {k.name};"]
    call = f"tl_fn({', '.join(args)})"
    if k.returns_value:
        lines.append(f"      __typeof__({call}) volatile tl_sink;")
        call = f"tl_sink = {call}"
    restore = []
    for i, s in enumerate(analysis.slots):
        if s.kind == "array" and analysis.signature.param(s.name).access == "readwrite":
            lines += [f"      size_t tl_bytes{i} = (size_t)(n{i} * r{i}) * sizeof(*b{i});",
                      f"      void *tl_copy{i} = malloc(tl_bytes{i} + 1);",
                      f"      memcpy(tl_copy{i}, b{i}, tl_bytes{i});"]
            restore.append(f"memcpy(b{i}, tl_copy{i}, tl_bytes{i});")
    lines += [
        "      double tl_best = 1e300; long tl_inner = 1; int tl_done = 0;",
        f"      while (tl_done < {repeats}) {{",
        *([f"        {' '.join(restore)}"] if restore else []),
        "        struct timespec tl_t0, tl_t1;",
        "        clock_gettime(CLOCK_MONOTONIC, &tl_t0);",
        f"        for (long q = 0; q < tl_inner; q++) {call};",
        "        clock_gettime(CLOCK_MONOTONIC, &tl_t1);",
        "        double tl_el = (double)(tl_t1.tv_sec - tl_t0.tv_sec) + 1e-9 * (double)(tl_t1.tv_nsec - tl_t0.tv_nsec);",
        f"        if (tl_done == 0 && tl_el < {TIMING_BATCH!r} && tl_inner < (1L << 30)) {{ tl_inner *= 2; continue; }}",
        "        if (tl_el / tl_inner < tl_best) tl_best = tl_el / tl_inner;",
        "        tl_done++;",
        "      }",
        '      fprintf(stderr, "tensorlift-time %.9e %ld\\n", tl_best, tl_inner); fflush(stderr);',
        "    }"]
    return lines


def _print(expr: str, dtype: str) -> str:
    if dtype == "int":
        return f'printf("%lld\\n", (long long)({expr}));'
    return f'printf("%.17g\\n", (double)({expr}));'


def _field_type(analysis: Analysis, s: Slot):
    t = dict(analysis.kernel.params)[s.param]
    st = t.target if isinstance(t, Pointer) else t
    return st.field_type(s.field)


def _stdin(analysis: Analysis, cases: list[_Case]) -> str:
    vals: list[str] = [str(len(cases))]
    for c in cases:
        for s in analysis.slots:
            if s.kind == "scalar":
                vals.append(repr(c.scalars[s.name]))
                continue
            reg = c.regions[s.name]
            vals += [str(reg.inner_size if reg.rows else reg.flat_size()), str(reg.nrows)]
            vals += [repr(x) for x in c.flats[s.name].tolist()]
    return "\n".join(vals) + "\n"


def limited(command: list[str]) -> list[str]:
    """The command under a memory limit and without core dumps. A shell sets the limits and
    execs the command (no Python runs between fork and exec, which threads would forbid)."""
    kib = MEMORY_LIMIT // 1024
    return ["/bin/sh", "-c", f'ulimit -v {kib} 2>/dev/null; ulimit -c 0 2>/dev/null; exec "$0" "$@"', *command]


def compile_harness(analysis: Analysis, workdir: Path, timing: int = 0, opt: str = "-O1") -> Path:
    """Compiles the kernel with the harness of `_harness` (with `timing` > 0, the timing one)
    at optimisation level `opt`; returns the executable."""
    k = analysis.kernel
    kernel_file = workdir / "kernel.c"
    kernel_file.write_text(k.source)
    harness = workdir / "harness.c"
    harness.write_text("#include <stdio.h>\n#include <stdlib.h>\n#include <string.h>\n"
                       + ("#include <time.h>\n" if timing > 0 else "")
                       + f'#include "kernel.c"\n{_harness(analysis, timing)}')
    exe = workdir / "harness"
    inc = ["-I", str(k.path.parent)] if k.path else []
    proc = subprocess.run([find_compiler(), opt, "-w", "-std=gnu99", *inc, "-o", str(exe), str(harness), "-lm"],
                          capture_output=True, text=True, timeout=120)
    if proc.returncode != 0:
        err = next((ln for ln in proc.stderr.splitlines() if "error" in ln), proc.stderr.strip()[:300])
        raise KernelRunError(f"the C compiler rejected the kernel: {err.split('error:', 1)[-1].strip()}")
    return exe


def run_compiled(analysis: Analysis, exe: Path, cases: list[_Case], time_limit: float = TIME_LIMIT):
    try:
        proc = subprocess.run(limited([str(exe)]), input=_stdin(analysis, cases), capture_output=True,
                              text=True, timeout=time_limit)
    except subprocess.TimeoutExpired:
        raise KernelRunError(f"the kernel did not finish within {time_limit:g} s") from None
    if proc.returncode != 0:
        if proc.returncode < 0:
            name = signal.Signals(-proc.returncode).name
            raise KernelRunError(f"the kernel crashed ({name}) at sizes {cases[0].sizes}")
        raise KernelRunError(f"the kernel's process exited with status {proc.returncode}")
    blocks = proc.stdout.split("#\n")
    results = []
    for c, block in zip(cases, blocks):
        nums = block.split()
        ret = None
        if analysis.signature.returns:
            ret = _num(nums.pop(0), analysis.signature.returns)
        written = {}
        for s in analysis.slots:
            if s.kind == "array" and analysis.signature.param(s.name).access != "read":
                n = len(c.flats[s.name]) if not c.regions[s.name].rows else c.regions[s.name].flat_size()
                written[s.name] = np.array([_num(x, s.dtype) for x in nums[:n]])
                del nums[:n]
        results.append((written, ret))
    return results


def _num(text: str, dtype: str):
    return int(text) if dtype == "int" else float(text)


# ---------------------------------------------------------------- the interpreted run


def run_interpreted(analysis: Analysis, case: _Case):
    """The same call in the interpreter: written buffers (flat, as the harness prints) and the return."""
    arrays, bufs = {}, {}
    for s in analysis.slots:
        if s.kind == "array":
            reg, flat = case.regions[s.name], case.flats[s.name]

            def init(off, reg=reg, flat=flat, dtype=s.dtype):
                r, c = divmod(off, ROW_PITCH) if reg.rows else (0, off)
                v = flat[r * reg.inner_size + c]
                return int(v) if dtype == "int" else float(v)
            arrays[s.name], bufs[s.name] = array_pointer(analysis.kernel, s, init, trace=None)
    ret = Interpreter(analysis.kernel).call(bind(analysis.kernel, analysis.slots, case.scalars, arrays))
    written = {}
    for s in analysis.slots:
        if s.kind == "array" and analysis.signature.param(s.name).access != "read":
            reg, flat = case.regions[s.name], case.flats[s.name]
            out = flat.copy()
            for off, v in bufs[s.name].data.items():
                r, c = divmod(off, ROW_PITCH) if reg.rows else (0, off)
                pos = r * reg.inner_size + c
                if 0 <= pos < len(out):
                    out[pos] = v
            written[s.name] = out
    return written, ret


def make_examples(analysis: Analysis, count: int = 6, seed: int = 0, cross_check: bool = True,
                  time_limit: float = TIME_LIMIT) -> list[Example]:
    """`count` examples, half at each of two size variants."""
    if count < 1:
        raise TensorliftError("at least one example is needed")
    rng = np.random.default_rng(seed)
    cases = [_make_case(analysis, sample_sizes(analysis, i % 2), rng) for i in range(count)]
    with tempfile.TemporaryDirectory(prefix="tensorlift-") as tmp:
        exe = compile_harness(analysis, Path(tmp))
        results = run_compiled(analysis, exe, cases, time_limit)
    if len(results) != len(cases):
        raise KernelRunError("the kernel's process stopped before printing every result")
    if cross_check:
        written, ret = run_interpreted(analysis, cases[0])
        cw, cret = results[0]
        sig = analysis.signature
        for name, flat in cw.items():
            if not matches(flat, written[name], sig.param(name).dtype):
                raise TensorliftError(f"interpreter and compiled C disagree on '{name}'; "
                                      "the kernel relies on behaviour we do not model")
        if sig.returns and not matches(cret, ret, sig.returns):
            raise TensorliftError("interpreter and compiled C disagree on the returned value")
    return [_example(analysis, c, w, r) for c, (w, r) in zip(cases, results)]
