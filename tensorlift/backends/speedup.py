"""How fast the emitted code runs compared with the original C kernel.

    measure_speedup(result, ["numpy", "torch", "jax"]) -> SpeedupReport

Sizes. Every untied dimension gets the same value s (tied ones follow their partner; stride
parameters take their dense value), the largest s such that
  - the largest array has at most `size` elements (default 1,000,000: a 1000 x 1000 matrix,
    a vector of 10^6, a 100 x 100 x 100 cube), and
  - the program's work, the sum over its statements of the product of the extents of the
    statement's index variables (multiply-adds for a contraction), is at most
    `max_work` (default size ** 1.5 = 10^9 at the default size: a gemm runs at
    1000 x 1000 x 1000, 2mm, which does two such products, at 793).
A kernel with fixed sizes runs at its own sizes; sizes given by macros (`#define N 64`) are
varied like size parameters, the C compiled with the size chosen. Sizes shared by several arrays are equal, so
a square matrix stays square.

Inputs. The same random values go to the C and to every target: integers in [-9, 9],
floats in [-4, 4] with two decimals (rounded to float32 for C `float`), nonzero where the
kernel divides by them. The Python targets receive arrays of the library's own kind
(NumPy arrays, torch tensors, JAX arrays) in the C element type (int32, float32, float64),
built before any timing.

Timing. The C kernel is compiled at -O2 with a harness that reads the arguments, calls the
kernel once (its outputs are the reference), then times the call alone with
clock_gettime(CLOCK_MONOTONIC): the call is repeated in a batch, the batch doubling from one
call until it lasts 1 ms, and the best time per call over `repeats` batches is kept.
Arrays the kernel reads and writes are restored before each batch (untimed). A Python
target is timed the same way around the function call alone (garbage collection off),
after one untimed warm-up call whose outputs are compared with the C outputs; JAX outputs
are waited for with `block_until_ready()` inside the timed region (the warm-up call
takes the compilation), torch runs under `torch.no_grad()` with its default threads.
Libraries may use several threads where the C runs on one; the report records how many
threads torch uses. A speedup above 1 means the target is faster than the C.

Matching. Integer outputs must equal the C outputs; float outputs must agree within the
back ends' tolerance (RTOL: 1e-4 for float, 1e-9 for double) relative to the largest
magnitude of the output, widened by sqrt(n / 1000) for a sum over n > 1000 terms, since the
C rounds after every addition of a long sum (a float32 dot product of 10^6 terms carries
relative errors near 1e-4). The largest relative difference is reported with the verdict.
"""
from __future__ import annotations

import gc
import math
import re
import time
from contextlib import nullcontext
from dataclasses import dataclass, field
from typing import Any, Callable, Optional

import numpy as np

from .. import carith
from ..c.analysis import Analysis
from ..c.examples import make_case, returned_dtype, run_harness
from ..c.harness import TIMING_BATCH, start_build
from ..errors import KernelRunError, TensorliftError
from ..signature import Signature
from ..taco.ir import Program, Statement, accesses
from .code import emit, function_name
from .targets import TARGETS

DEFAULT_SIZE = 1_000_000          # elements of the largest array
TIME_LIMIT = 900.0                # seconds for the whole timed C run
RUNNABLE = ("numpy", "torch", "jax", "tensora")

# ---------------------------------------------------------------------- the report

@dataclass
class SpeedupReport:
    function: str
    sizes: dict[str, int]                   # every dimension (tied ones too) the kernel ran at
    c_seconds: float                        # best time of one call of the -O2 C kernel
    targets: dict[str, dict] = field(default_factory=dict)
    # target -> {"seconds": float, "speedup": c_seconds / seconds, "matches": bool,
    #            "max_rel_error": float, "calls_per_batch": int} or, when it could not
    #            run, {"seconds": None, "speedup": None, "matches": False, "error": str}
    elements: int = 0                       # elements of the largest array
    work: int = 0                           # estimated multiply-adds (see the module doc)
    repeats: int = 5
    c_calls_per_batch: int = 1
    torch_threads: Optional[int] = None

    def to_json(self) -> dict:
        return {
            "function": self.function, "sizes": dict(self.sizes),
            "elements": self.elements, "work": self.work, "repeats": self.repeats,
            "c_seconds": self.c_seconds, "c_calls_per_batch": self.c_calls_per_batch,
            "torch_threads": self.torch_threads,
            "targets": {k: {f: _finite(v) for f, v in t.items()} for k, t in self.targets.items()},
        }

    def format_table(self) -> str:
        dims = ", ".join(f"{k}={v}" for k, v in self.sizes.items()) or "fixed sizes"
        lines = [f"{self.function}: {dims}; largest array {self.elements:,} elements, "
                 f"about {self.work:,} operations; best of {self.repeats}",
                 f"  {'target':<10} {'seconds':>12} {'speedup':>9}  matches C"]
        lines.append(f"  {'C -O2':<10} {self.c_seconds:>12.4e} {'1.00x':>9}")
        for name, t in self.targets.items():
            if t.get("seconds") is None:
                lines.append(f"  {name:<10} {'-':>12} {'-':>9}  error: {t.get('error')}")
                continue
            verdict = "yes" if t["matches"] else \
                f"NO (max relative difference {t.get('max_rel_error', float('nan')):.2g})"
            lines.append(f"  {name:<10} {t['seconds']:>12.4e} {format_ratio(t['speedup']):>9}  {verdict}")
        lines.append("  speedup = C seconds / target seconds; speedup > 1 means the target is "
                     "faster than the C")
        return "\n".join(lines)


def _finite(v):
    """JSON has no infinity or NaN: such a float becomes null."""
    return None if isinstance(v, float) and not math.isfinite(v) else v


def format_ratio(r: Optional[float]) -> str:
    if r is None:
        return "-"
    if r >= 100:
        return f"{r:.0f}x"
    return f"{r:.2f}x" if r >= 0.1 else f"{r:.2g}x"


# ---------------------------------------------------------------------- sizes

def statement_work(stmt: Statement, shapes: dict[str, tuple[int, ...]]) -> int:
    """Iterations of a statement: the product of the extents of its index variables."""
    extent: dict[str, int] = {}
    for acc in [stmt.lhs, *accesses(stmt.rhs)]:
        shape = shapes.get(acc.name)
        if shape is None or len(shape) != len(acc.indices):
            continue
        for var, n in zip(acc.indices, shape):
            extent[var] = max(extent.get(var, 0), n)
    return math.prod(extent.values()) if extent else 1


def program_work(program: Optional[Program], analysis: Analysis, sizes: dict[str, int]) -> int:
    shapes = {name: analysis.shape(name, sizes) for name in analysis.layouts}
    if program is None:
        return max((math.prod(s) for s in shapes.values()), default=1)
    return sum(statement_work(st, shapes) for st in program.statements)


def largest_array(analysis: Analysis, sizes: dict[str, int]) -> int:
    return max((math.prod(analysis.shape(n, sizes)) for n in analysis.layouts), default=0)


def choose_sizes(analysis: Analysis, program: Optional[Program], size: int = DEFAULT_SIZE,
                 max_work: Optional[float] = None) -> dict[str, int]:
    """Every dimension and stride: the untied dimensions all at the largest s that keeps the
    largest array within `size` elements and the work within `max_work` (default
    size ** 1.5). Fixed-size kernels keep their sizes."""
    if size < 1:
        raise TensorliftError("the size must be at least 1 element")
    limit = size ** 1.5 if max_work is None else max_work
    free = analysis.free_dims
    at = lambda s: analysis.sizes({d: s for d in free})   # noqa: E731
    if not free:
        return at(1)

    def fits(s: int) -> bool:
        sz = at(s)
        return largest_array(analysis, sz) <= size and program_work(program, analysis, sz) <= limit

    # no dimension beyond `size` (it would be no array's extent if no array grew with it)
    if fits(size):
        return at(size)
    lo, hi = 1, size
    while hi - lo > 1:          # fits(lo) (or lo == 1), not fits(hi)
        mid = (lo + hi) // 2
        lo, hi = (mid, hi) if fits(mid) else (lo, mid)
    return at(lo)


# ---------------------------------------------------------------------- inputs

@dataclass
class _Inputs:
    case: Any                               # the harness case (flat buffers, scalars)
    values: dict[str, Any]                  # every parameter: numbers and shaped arrays


def make_inputs(analysis: Analysis, sizes: dict[str, int], seed: int = 0) -> _Inputs:
    """Random arguments (see the module doc), the same for the C and the targets."""
    case = make_case(analysis, sizes, np.random.default_rng(seed))
    values: dict[str, Any] = {}
    for s in analysis.slots:
        if s.kind == "scalar":
            v = case.scalars[s.name]
            if s.dtype == "float" and s.name not in sizes:
                v = case.scalars[s.name] = float(np.float32(v))
            values[s.name] = v
            continue
        dt = np.dtype(carith.NUMPY[s.dtype])
        values[s.name] = case.regions[s.name].gather(case.flats[s.name]).astype(dt)
    return _Inputs(case, values)


# ---------------------------------------------------------------------- the C side

_TIME_LINE = re.compile(r"^tensorlift-time (\S+) (\d+)$", re.M)


def time_c(analysis: Analysis, inputs: _Inputs, repeats: int,
           time_limit: float = TIME_LIMIT) -> tuple[float, int, dict[str, Any]]:
    """Best seconds per call of the -O2 kernel, calls per timed batch, and the outputs of
    its first call: {output name: value shaped as the analysis says}."""
    sig = analysis.signature
    macros = {s.name: inputs.case.scalars[s.name] for s in analysis.slots if s.macro}
    exe = start_build(analysis.kernel, analysis.slots, opt="-O2", macros=macros).exe()
    runs, err = run_harness(exe, analysis.slots, [inputs.case], returned_dtype(analysis.kernel),
                            time_limit, timing=repeats)
    m = _TIME_LINE.search(err)
    if m is None:
        raise KernelRunError("the timed kernel printed no time")
    outputs: dict[str, Any] = {}
    if sig.returns and sig.returns_shape is None:
        outputs[sig.function] = runs[0].ret
    for s in analysis.slots:
        if s.kind == "array" and (s.is_return or sig.param(s.name).access != "read"):
            outputs[s.name] = inputs.case.regions[s.name].gather(runs[0].arrays[s.name])
    return float(m.group(1)), int(m.group(2)), outputs


# ---------------------------------------------------------------------- the targets

def load_function(target: str, source: str, sig: Signature) -> Callable:
    ns: dict = {"__name__": f"tensorlift_speedup_{target}"}
    exec(compile(source, f"<tensorlift {target} code for {sig.function}>", "exec"), ns)
    fn = ns.get(function_name(sig))
    if not callable(fn):
        raise TensorliftError(f"{target} code defines no function {function_name(sig)}")
    return fn


def target_arguments(target: str, analysis: Analysis, values: dict[str, Any]) -> list:
    """The parameters in C order as the target's own arrays (numbers stay numbers)."""
    args = []
    for p in analysis.signature.call_params:
        v = values[p.name]
        if isinstance(v, np.ndarray):
            if target == "torch":
                import torch
                v = torch.from_numpy(v.copy())
            elif target == "jax":
                import jax.numpy as jnp
                v = jnp.asarray(v)
                v.block_until_ready()
            else:
                v = v.copy()
        args.append(v)
    return args


def _waiter(target: str) -> Callable[[Any], None]:
    if target != "jax":
        return lambda out: None

    def wait(out):
        for o in out if isinstance(out, (tuple, list)) else (out,):
            if hasattr(o, "block_until_ready"):
                o.block_until_ready()
    return wait


def time_call(call: Callable[[], Any], repeats: int, wait: Callable[[Any], None]) -> tuple[float, int]:
    """Best seconds per call over `repeats` batches, the batch doubling from one call until
    it lasts TIMING_BATCH (the calibrating batch counts), and the calls per batch."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        best, inner, done = math.inf, 1, 0
        while done < repeats:
            t0 = time.perf_counter()
            for _ in range(inner):
                wait(call())
            el = time.perf_counter() - t0
            if done == 0 and el < TIMING_BATCH and inner < 1 << 30:
                inner *= 2
                continue
            best = min(best, el / inner)
            done += 1
        return best, inner
    finally:
        if enabled:
            gc.enable()


def _as_numpy(v) -> np.ndarray:
    if hasattr(v, "detach"):
        v = v.detach().cpu().numpy()
    return np.asarray(v)


def sum_length(program: Optional[Program], analysis: Analysis, sizes: dict[str, int]) -> int:
    """The longest sum in the program: the product of the extents of the index variables
    of a statement that its left side lacks (1 without sums)."""
    if program is None:
        return 1
    shapes = {name: analysis.shape(name, sizes) for name in analysis.layouts}
    longest = 1
    for st in program.statements:
        total = statement_work(st, shapes)
        lhs = shapes.get(st.lhs.name, ())
        kept = math.prod(lhs) if len(lhs) == len(st.lhs.indices) else 1
        longest = max(longest, total // max(1, kept))
    return longest


def compare_outputs(got: dict[str, Any], want: dict[str, Any], sig: Signature,
                    sum_terms: int = 1) -> tuple[bool, float]:
    """Whether every output matches (int exactly; float within RTOL of the output's largest
    magnitude, widened for long sums) and the largest relative difference."""
    ok, worst = True, 0.0
    for name in sig.outputs:
        g = np.asarray(got[name])
        w = np.asarray(want[name])
        if g.shape != w.shape or g.dtype.kind not in "iufb":
            return False, math.inf
        ctype = sig.dtype_of(name)
        if carith.is_int(ctype):
            if g.dtype.kind not in "iub" or not np.array_equal(g.astype(np.int64), w.astype(np.int64)):
                ok = False
                diff = np.abs(g.astype(np.float64) - w.astype(np.float64))
                scale = max(1.0, float(np.max(np.abs(w), initial=0)))
                worst = max(worst, float(np.max(diff, initial=0)) / scale)
            continue
        g64, w64 = g.astype(np.float64), w.astype(np.float64)
        finite = np.isfinite(w64)
        scale = max(1.0, float(np.max(np.abs(w64[finite]), initial=0.0)))
        with np.errstate(invalid="ignore"):
            same = (g64 == w64) | (np.isnan(g64) & np.isnan(w64))
            diff = np.where(same, 0.0, np.abs(g64 - w64))
        rel = float(np.max(diff, initial=0.0)) / scale
        worst = max(worst, rel if rel == rel else math.inf)
        tol = carith.RTOL[ctype] * max(1.0, math.sqrt(sum_terms / 1000))
        if not rel <= tol:
            ok = False
    return ok, worst


def _outputs_of(result, sig: Signature) -> dict[str, Any]:
    names = sig.outputs
    values = [result] if len(names) == 1 else list(result)
    if len(values) != len(names):
        raise TensorliftError(f"the function returned {len(values)} values, expected {len(names)}")
    return {n: _as_numpy(v) for n, v in zip(names, values)}


def time_target(target: str, result, inputs: _Inputs, want: dict[str, Any], repeats: int,
                sum_terms: int) -> dict:
    analysis: Analysis = result.analysis
    sig = analysis.signature
    if target not in RUNNABLE:
        if target in TARGETS:
            raise TensorliftError(f"target {target} is index-notation text, not code to run")
        raise TensorliftError(f"unknown target {target!r}; runnable targets: {', '.join(RUNNABLE)}")
    source = emit(target, result.program, sig)
    fn = load_function(target, source, sig)
    args = target_arguments(target, analysis, inputs.values)
    wait = _waiter(target)
    if target == "torch":
        import torch
        ctx = torch.no_grad()
    else:
        ctx = nullcontext()
    with ctx:
        first = fn(*args)              # warm-up (JAX compiles here), and the outputs to check
        wait(first)
        matches, err = compare_outputs(_outputs_of(first, sig), want, sig, sum_terms)
        seconds, inner = time_call(lambda: fn(*args), repeats, wait)
    return {"seconds": seconds, "matches": matches, "max_rel_error": err, "calls_per_batch": inner}


# ---------------------------------------------------------------------- the entry point

def measure_speedup(result, targets: list[str], size: Optional[int] = None, repeats: int = 5, *,
                    max_work: Optional[float] = None, seed: int = 0,
                    time_limit: float = TIME_LIMIT) -> SpeedupReport:
    """Times the lifted kernel's original C (compiled at -O2) against the code emitted for
    each target, at sizes where the largest array has about `size` elements (default
    10^6), and checks that each target's outputs match the C's at those sizes. A target
    that cannot be emitted or run gets an entry with an "error" instead of times."""
    if getattr(result, "status", None) != "lifted" or result.program is None or result.analysis is None:
        raise TensorliftError(f"{getattr(result, 'function', 'the kernel')} was not lifted: "
                              "there is no program to time")
    if repeats < 1:
        raise TensorliftError("repeats must be at least 1")
    analysis: Analysis = result.analysis
    sizes = choose_sizes(analysis, result.program, DEFAULT_SIZE if size is None else size, max_work)
    inputs = make_inputs(analysis, sizes, seed)
    c_seconds, c_inner, want = time_c(analysis, inputs, repeats, time_limit)
    c_seconds = max(c_seconds, 1e-12)
    sum_terms = sum_length(result.program, analysis, sizes)
    shown = {d: sizes[d] for d in analysis.dims}
    report = SpeedupReport(result.function, shown, c_seconds, {},
                           largest_array(analysis, sizes),
                           program_work(result.program, analysis, sizes), repeats, c_inner)
    for target in targets:
        try:
            entry = time_target(target, result, inputs, want, repeats, sum_terms)
        except Exception as e:       # reported per target: one failing library spoils no other
            msg = str(e) if isinstance(e, TensorliftError) else f"{type(e).__name__}: {e}"
            report.targets[target] = {"seconds": None, "speedup": None, "matches": False, "error": msg}
            continue
        entry["speedup"] = c_seconds / entry["seconds"] if entry["seconds"] > 0 else math.inf
        report.targets[target] = {"seconds": entry["seconds"], "speedup": entry["speedup"],
                                  "matches": entry["matches"], "max_rel_error": entry["max_rel_error"],
                                  "calls_per_batch": entry["calls_per_batch"]}
        if target == "torch":
            import torch
            report.torch_threads = torch.get_num_threads()
    return report
