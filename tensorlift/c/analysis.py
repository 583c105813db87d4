"""Kernel analysis: the role of every parameter and the shape of every array.

Shapes are read off the trace of the interpreter rather than guessed from index
syntax: for every access site the offset is fitted as an affine function of the
iteration numbers of the enclosing loops. Distinct coefficients are the strides of the
array's dimensions (so pointer walking, `A[i*lda+k]`, `int **A` and `A[i][j]` all look
alike), and the touched region gives each extent. Running at several sizes and fitting
across runs turns extents and strides into expressions over the size parameters.
"""
from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional, Union

import numpy as np

from .. import carith
from ..errors import UnsupportedConstruct
from ..signature import Param, Signature
from ..taco.ir import Condition
from . import ast as A
from .affine import Affine, Product, fit, fit_extent
from .frontend import load_kernel
from .interp import REDRAWS, ROW_PITCH, Interpreter, NeverDefined, Undefined, Vec
from .offsets import Offset, find_windows
from .outline import origins
from .reach import Reach, loop_reach
from .scalarcases import both_sides, scalar_conditions
from .sizecases import allowed, ties_of
from .roles import Flows, FrontEnd
from .slots import Slot, array_pointer, bind

BASE_SIZE = 3          # dimensions get 3, 4, 5, ... : distinct, so no index order passes by symmetry
BASE_STRIDE = 50       # strides are set far beyond any extent, so rows separate in the trace


@dataclass
class Layout:
    """Where element (i0, i1, ...) of an array lives: offset = sum(i_k * strides[k]), or,
    for `rows` arrays (`T **`), row i0 is a separate allocation."""
    shape: list                  # Affine, or Product for a flattened loop over M*N
    strides: list[Product]
    rows: bool = False
    base: Optional[Offset] = None   # a window's first element in the C's buffer (c/offsets.py)


@dataclass
class Region:
    """A shaped array stored in a flat buffer (or in rows, for `T **`), from `base` on (a
    window read at an offset)."""
    shape: tuple[int, ...]
    strides: tuple[int, ...]
    rows: bool
    base: int = 0

    @staticmethod
    def of(layout: Layout, sizes: dict[str, int]) -> "Region":
        return Region(tuple(max(0, e.eval(sizes)) for e in layout.shape),
                      tuple(s.eval(sizes) for s in layout.strides), layout.rows,
                      layout.base.eval(sizes) if layout.base is not None else 0)

    @property
    def inner_size(self) -> int:
        """Elements of one row (rows arrays) or of the whole buffer."""
        dims = list(zip(self.shape, self.strides))[1 if self.rows else 0:]
        if any(e == 0 for e, _ in dims):
            return 0
        return 1 + sum((e - 1) * s for e, s in dims)

    @property
    def nrows(self) -> int:
        return self.shape[0] if self.rows and self.shape else 1     # rows never read: one

    def offsets(self) -> np.ndarray:
        """Flat offset (rows arrays: row * inner_size + offset in row) of every element."""
        if not self.shape:
            return np.full((), self.base, dtype=np.int64)
        idx = np.indices(self.shape, dtype=np.int64)
        strides = list(self.strides)
        if self.rows:
            strides[0] = self.inner_size
        return self.base + sum(i * s for i, s in zip(idx, strides))

    def flat_size(self) -> int:
        return self.nrows * self.inner_size if self.rows else self.base + max(self.inner_size, 1)

    def gather(self, flat: np.ndarray) -> np.ndarray:
        return flat[self.offsets()]

    def interp_offset(self, flat_off: int) -> int:
        """Interpreter offset of a flat offset (rows lie ROW_PITCH apart there)."""
        if not self.rows:
            return flat_off
        r, c = divmod(flat_off, self.inner_size)
        return r * ROW_PITCH + c

    def flat_offset(self, interp_off: int) -> int:
        r, c = divmod(interp_off, ROW_PITCH) if self.rows else (0, interp_off)
        return r * self.inner_size + c


@dataclass
class Analysis:
    kernel: A.Kernel
    slots: list[Slot]
    signature: Signature
    layouts: dict[str, Layout]
    stride_values: dict[str, Affine]     # a stride parameter's dense value
    ties: dict[str, str]                 # tied dimension -> the dimension it equals
    flows: Flows
    dims: list[str] = field(default_factory=list)   # dimension slots, ties included, and offsets
    fixed: dict[str, int] = field(default_factory=dict)   # scalars held at one value (flags)
    reach: dict[str, Reach] = field(default_factory=dict)  # dimensions whose loops ask for larger sizes
    where: Optional[Condition] = None    # the sizes of this case of the kernel's size checks
    base: dict[str, int] = field(default_factory=dict)   # the free dimensions' sizes analysis started from
    sides: list[dict] = field(default_factory=list)      # value scalars taking each side of the branches on them
    from_zero: set[str] = field(default_factory=set)      # offsets, which start at 0 where sizes start at 1

    def sizes(self, free: dict[str, int]) -> dict[str, int]:
        """Values of every dimension, offset and stride, from values of the untied
        dimensions and of the offsets (an offset that does not divide is one less)."""
        env = {d: free[self.ties.get(d, d)] - (d in self.from_zero) for d in self.dims}
        for s, v in self.stride_values.items():
            env[s] = v.eval(env)
        return env

    @property
    def free_dims(self) -> list[str]:
        return [d for d in self.dims if d not in self.ties]

    def proof_bounds(self, floor: int) -> dict[str, int]:
        """The largest size of each free dimension that a bounded proof covers: `floor`, or
        more where the loops the dimension drives are unrolled or compare with constants
        (tied dimensions ask together)."""
        out = {d: floor for d in self.free_dims}
        for d, r in self.reach.items():
            rep = self.ties.get(d, d)
            if rep in out:
                out[rep] = max(out[rep], r.size)
        return out

    def blocks(self) -> dict[str, int]:
        """The largest block length (unroll factor) of the loops each free dimension drives,
        where it is more than 1."""
        out: dict[str, int] = {}
        for d, r in self.reach.items():
            rep = self.ties.get(d, d)
            if r.block > 1 and rep in self.free_dims:
                out[rep] = max(out.get(rep, 1), r.block)
        return out

    def shape(self, name: str, sizes: dict[str, int]) -> tuple[int, ...]:
        return tuple(max(0, e.eval(sizes)) for e in self.layouts[name].shape)

    @property
    def arithmetic_scalars(self) -> set[str]:
        """Scalars that may appear as operands: value scalars and sizes the C arithmetic uses."""
        return {p.name for p in self.signature.params if p.kind == "scalar"
                and (p.role == "value" or p.name in self.flows.data)}


def analyze(source: Union[str, Path], function: Optional[str] = None) -> Analysis:
    return analyze_kernel(load_kernel(source, function))


def analyze_kernel(kernel: A.Kernel, front: Optional[FrontEnd] = None, budget=None,
                   fixed: Optional[dict[str, int]] = None, where: Optional[Condition] = None) -> Analysis:
    """`front`: the front end's view of the kernel (made here if not given); `fixed`:
    scalars held at one value (a flag, for one case of the code it selects); `where`: the
    sizes of one case of the kernel's size checks (`sizecases.py`)."""
    fixed = dict(fixed or {})
    _refuse_data_dependent_loops(kernel)
    front = front if front is not None else FrontEnd.of(kernel)
    slots, flows, roles = front.slots, front.flows, dict(front.roles)
    windows = find_windows(kernel, slots, roles)
    roles.update({n: "offset" for n in windows.scalars})
    dims = [n for n, r in roles.items() if r in ("dimension", "offset")]
    strides = [n for n, r in roles.items() if r == "stride"]
    ties: dict[str, str] = {}
    for first, second in ties_of(where):         # the sizes the case makes equal
        if first in dims and second in dims:
            first, second = sorted((first, second), key=dims.index)
            ties[second] = ties.get(first, first)
    rng = random.Random(0)
    values = [s for s in slots if roles.get(s.name) == "value" and s.field is None and not s.is_global]
    sides = both_sides(kernel, scalar_conditions(kernel, {s.name for s in values}),
                       lambda: {s.name: _value_for(s, rng) for s in values})
    reach = loop_reach(kernel, dims)
    for _ in range(len(dims) + 1):
        try:
            layouts, stride_values, access, base = _fit_layouts(kernel, slots, dims, strides, ties, budget, fixed,
                                                                where, sides, windows.bases,
                                                                frozenset(r.block for r in reach.values()))
            break
        except _Tie as t:
            ties[t.second] = ties.get(t.first, t.first)
    else:
        raise UnsupportedConstruct("array indexing that no tying of sizes makes consistent")
    params = []
    for s in slots:
        if s.is_return or s.pinned is not None:
            continue
        if s.kind == "scalar":
            params.append(Param(s.name, "scalar", s.dtype, role=roles[s.name],
                                macro=kernel.macros[s.name].value if s.macro else None, size_of=s.size_of))
        else:
            lay = layouts[s.name]
            params.append(Param(s.name, "array", s.dtype, access=access[s.name],
                                shape=[str(e) for e in lay.shape], offset=str(lay.base) if lay.base else None))
    groups: dict[str, list[str]] = {}
    for d in dims:
        groups.setdefault(ties.get(d, d), []).append(d)
    tied = [g for g in groups.values() if len(g) > 1]
    # A return value computed from no array and no value scalar is a status code (TACO's
    # generated code always returns 0): it is not part of what the kernel computes.
    returns, returns_shape = None, None
    # A value chosen by a size check (`return -1` when na != nb) says which case ran: an output.
    checked = set().union(*(g for g in flows.compared if g & set(dims)))
    if isinstance(kernel.returns, A.Scalar) and \
            flows.returned & ({p.name for p in params if p.kind == "array" or p.role in ("value", "flag")} | checked):
        returns = kernel.returns.dtype
    ret = next((s for s in slots if s.is_return), None)
    if ret is not None:
        returns, returns_shape = ret.dtype, [str(e) for e in layouts[ret.name].shape]
    sig = Signature(kernel.name, params, returns, tied, returns_shape, types_used(kernel))
    if kernel.region is not None:
        sig.region, sig.origins = kernel.region.name, origins(kernel, slots)
    analysis = Analysis(kernel, slots, sig, layouts, stride_values, ties, flows, dims, fixed, reach, where,
                        base, sides, windows.scalars - flows.divisors)
    for p in sig.arrays:
        p.strides = sparse_strides(analysis, p.name)
    return analysis


def sparse_strides(analysis: Analysis, name: str) -> Optional[list[str]]:
    """An array's strides in the sizes when its rows lie further apart in the C's buffer than
    its shape is wide (shape [n, m-1] in rows m apart: the kernel skips the last column);
    None when they are the dense strides of its shape."""
    layout = analysis.layouts[name]
    if layout.rows:
        return None
    free = analysis.free_dims
    for base, step in ((5, 2), (6, 3)):
        env = analysis.sizes({d: base + step * k for k, d in enumerate(free)})
        dense, want = 1, []
        for extent in reversed(layout.shape):
            want.insert(0, dense)
            dense *= extent.eval(env)
        if [s.eval(env) for s in layout.strides] != want:
            return [str(s.substitute(analysis.stride_values)) for s in layout.strides]
    return None


def types_used(kernel: A.Kernel) -> list[str]:
    """The arithmetic types the kernel declares (parameters, struct fields, locals, globals,
    returned values of it and of what it calls) or casts to explicitly: the precision the C
    computes in (a `double` constant in `float` code does not count)."""
    found = {g.type for g in kernel.globals.values()} | {t for fs in kernel.structs.values() for _, t in fs}
    for f in kernel.functions.values():
        found |= {p.type for p in f.params} | {f.returns}
        found |= {n.type for n in A.walk(f.body)
                  if isinstance(n, A.Decl) or (isinstance(n, A.Cast) and not n.implicit)}
    return sorted({t.dtype for t in map(A.element, found) if isinstance(t, A.Scalar)})


def _untouched(layout: Layout, env: dict, buf) -> bool:
    """Whether some element of the array's region is never written in this run."""
    reg = Region.of(layout, env)
    written = {t[1] for t in buf.trace if t[3]}
    return any(reg.interp_offset(int(o)) not in written for o in np.ravel(reg.offsets()))


def _refuse_data_dependent_loops(kernel: A.Kernel) -> None:
    """A loop that runs while array elements say so (`while (i < n && x[i] > 0)`) has a
    trip count that depends on data: no program in index notation computes what it does."""
    for f in kernel.functions.values():
        for node in A.walk(f.body):
            if not isinstance(node, A.Loop) or node.cond is None:
                continue
            for e in A.walk(node.cond):
                element = isinstance(e, A.Index) and not isinstance(e.base, A.Member) or \
                    isinstance(e, A.Unary) and e.op == "*"
                element = element and isinstance(A.strip_ref(getattr(e, "type", None)), A.Scalar)
                if element:
                    raise UnsupportedConstruct(
                        "the loop runs as long as array values say so (its trip count depends on data): "
                        "not expressible in index notation", node.line)


# ---------------------------------------------------------------- running and fitting


def _value_for(slot: Slot, rng: random.Random):
    if carith.is_int(slot.dtype):
        lo = carith.bounds(slot.dtype)[0]
        return rng.choice([1, 2, 3, 4, 5] if lo == 0 else [-3, -2, -1, 1, 2, 3, 4, 5])
    return rng.choice([-1.5, -0.5, 0.25, 0.75, 1.25, 2.0])


def trace_run(kernel: A.Kernel, slots: list[Slot], env: dict[str, int], seed: int = 0,
              writes: Optional[list] = None, budget=None, executed: Optional[set] = None,
              trips: Optional[dict] = None):
    """Run the interpreter on pseudo-random nonzero data; returns the buffers by slot name.
    `writes`, if given, collects the names of the buffers written, in order; `executed` the
    ids of the statements and assignments that ran; `trips` each loop's most iterations.
    Values are drawn again while the C is undefined on them (a zero divisor, a shift past the
    width, a failed assertion)."""
    for attempt in range(REDRAWS):
        try:
            return _trace_run(kernel, slots, env, f"{seed}+{attempt}" if attempt else seed, writes, budget,
                              executed, trips)
        except Undefined as e:
            reason = e
            for seen in (writes, executed):
                if seen is not None:
                    seen.clear()
    raise NeverDefined(f"the C is undefined on every input tried at sizes {env}: {reason}")


def _trace_run(kernel, slots, env, seed, writes, budget, executed, trips):
    rng = random.Random(seed)
    scalars = {s.name: env[s.name] if s.name in env else s.pinned if s.pinned is not None else _value_for(s, rng)
               for s in slots if s.kind == "scalar"}
    arrays, buffers = {}, {}
    for s in slots:
        if s.kind == "array" and not s.is_return:
            r = random.Random(f"{seed}/{s.name}")
            arrays[s.name], buffers[s.name] = array_pointer(s, lambda off, s=s, r=r: _value_for(s, r), trace=[])
            buffers[s.name].writes = writes
    interp = Interpreter(kernel, budget=budget, executed=executed)
    interp.trace_locals = True
    interp.trips = trips
    ret = interp.call(*bind(kernel, slots, scalars, arrays))
    for s in slots:
        if s.is_return:       # the returned vector: its elements, as computed
            if not isinstance(ret, Vec):
                raise UnsupportedConstruct("a returned vector that is not a local vector")
            ret.buf.name = s.name
            buffers[s.name] = ret.buf
    return buffers


def fit_site(offsets, counters) -> Optional[list[int]]:
    """The step of each enclosing loop in an access site's offset (offset = c0 + sum of
    step * iteration number), or None when the offsets are not affine in the iterations."""
    a = np.array([list(c) + [1] for c in counters], dtype=float)
    b = np.array(offsets, dtype=float)
    sol, _, rank, _ = np.linalg.lstsq(a, b, rcond=None)
    if rank < a.shape[1]:
        return None        # iterations too few or too alike (a site under a condition) to tell the steps
    r = np.round(sol)
    if not np.allclose(a @ r, b):
        return None
    return [int(c) for c in r[:-1]]


def _site_strides(trace, blocks: frozenset = frozenset()) -> tuple[dict[int, int], int]:
    """Distinct nonzero coefficients of the affine fits of every access site, each with the
    largest span of the loops that move by it (one loop: its iteration count); and the largest count of a single
    loop with step 1 that runs over a multi-dimensional array (a flattened fill, like TACO's
    `for (pA = 0; pA < A1*A2; pA++)`), which is kept apart from the row structure."""
    groups: dict[tuple, list] = {}
    for site, off, counters, _, loops in trace:
        groups.setdefault((id(site), len(counters), loops), []).append((off, counters))
    fits = []
    for (_, depth, loops), pts in groups.items():
        if depth == 0:
            continue
        steps = fit_site([p[0] for p in pts], [p[1] for p in pts])
        if steps is None:
            continue   # not affine (indirect or triangular): the region decides alone
        fits.append((loops, steps, pts[0][0] - sum(s * c for s, c in zip(steps, pts[0][1])), pts))
    lanes = _unrolled(fits, blocks)
    sites: list[dict[int, int]] = []
    for loops, steps, _, pts in fits:
        site: dict[int, int] = {}
        for l, c in enumerate(steps):
            if c != 0:      # loops moving by one step together span their trips' sum (`x[i + j]`)
                trips = max(p[1][l] for p in pts) + 1
                c, trips = (1, trips * abs(c)) if (loops, tuple(steps), l) in lanes else (abs(c), trips)
                site[c] = site.get(c, 1) + trips - 1
        sites.append(site)
    if sites and all(len(sc) <= 1 for sc in sites) and any(1 in sc for sc in sites):
        # every site walks along one loop, one of them element by element: a 4-way unrolled
        # walk (`*p++` four times per block) and its remainder loop, not rows of 4
        sites = [{1: max(n * c for c, n in sc.items())} if sc else sc for sc in sites]
    rows = max((max(sc) for sc in sites if len(sc) >= 2), default=0)
    flat = max((sc[1] for sc in sites if list(sc) == [1] and rows and sc[1] > rows), default=0)
    coefs: dict[int, int] = {}
    for sc in sites:
        if not (list(sc) == [1] and rows and sc[1] > rows):
            for c, n in sc.items():
                coefs[c] = max(coefs.get(c, 0), n)
    return coefs, flat


def _unrolled(fits, blocks: frozenset) -> set[tuple]:
    """The loops of access sites that are unrolled bodies: a loop moving by c whose sites
    (same loops, same steps) read or write c neighbouring elements (`x[i]` .. `x[i+7]`
    with `i += 8`) walks the array densely, not with a row stride of c, when the loop
    structure has blocks of c (`i += 8`, `n >> 3`). Without them, c neighbours are the
    components of an element (`re = *p++; im = *p++;`: complex numbers)."""
    consts: dict[tuple, set[int]] = {}
    for loops, steps, const, _ in fits:
        consts.setdefault((loops, tuple(steps)), set()).add(const)
    out = set()
    for (loops, steps), cs in consts.items():
        for l, c in enumerate(steps):
            if abs(c) in blocks and any(all(k + d in cs for d in range(abs(c))) for k in cs):
                out.add((loops, steps, l))
    return out


def _delinearise(offsets: list[int], coefs: set[int], interleaved: bool = True) -> tuple[list[int], list[int]]:
    """Strides (descending) and extents of a touched region. `interleaved`: elements read
    `step` apart at every offset modulo `step` are a last dimension of `step` components."""
    if not offsets:
        return [], []
    chain = sorted(coefs, reverse=True)
    if interleaved and chain and chain[-1] != 1 and not any(a % b for a, b in zip(chain, chain[1:])) \
            and any(o % chain[-1] for o in offsets):
        # interleaved components (`x[2*i]`, `x[2*i+1]`: complex numbers): a last dimension of 2
        chain = chain + [1]
    if chain and chain[-1] != 1 and not any(a % b for a, b in zip(chain, chain[1:])) \
            and all(o % chain[-1] == 0 for o in offsets):
        # every element `step` apart (`X[i*INCX]`, `x[2*i]`): the innermost stride is not 1
        extents = [max(offsets) // chain[0] + 1]
        for outer, st in zip(chain, chain[1:]):
            extents.append(max((o % outer) // st for o in offsets) + 1)
        return chain, extents
    if not chain or chain[-1] != 1 or any(a % b for a, b in zip(chain, chain[1:])):
        if max(offsets) == 0 and min(offsets) == 0 and not coefs:
            return [], []
        return [1], [max(offsets) + 1]
    extents = [max(offsets) // chain[0] + 1]
    for outer, s in zip(chain, chain[1:]):
        extents.append(max((o % outer) // s for o in offsets) + 1)
    return chain, extents


def _fit_layouts(kernel, slots, dims, strides, ties, budget=None, fixed=None, where=None, sides=(), bases=None,
                 blocks: frozenset = frozenset()):
    """Layouts fitted over several runs (and the base sizes of the runs), or a pair of
    dimensions to tie. `sides`: values of the value scalars that take each side of the
    branches on them; each run is the union of a run with each. `bases`: where the window
    of an array read at an offset starts (its trace is read from there); `blocks`: the
    loops' block lengths (`_unrolled`)."""
    bases = bases or {}
    free = [d for d in dims if d not in ties]
    names = free + strides

    def env_of(point):
        env = {d: point[ties.get(d, d)] for d in dims}
        env.update({s: point[s] for s in strides})
        env.update(fixed or {})
        return env

    points, runs = _runs(kernel, slots, free, strides, env_of, budget, where, sides)
    layouts: dict[str, Layout] = {}
    stride_values: dict[str, Affine] = {}
    access: dict[str, str] = {}
    for s in (s for s in slots if s.kind == "array"):
        base = bases.get(s.name)

        def from_start(bufs, p, s=s, base=base):
            """The offsets the run touched, from the window's start."""
            start = base.eval(env_of(p)) if base is not None else 0
            return [t[1] - start for t in bufs[s.name].trace]
        for interleaved in (True, False):
            # a loop unrolled by two reads like complex pairs at even sizes: one vector at all
            per_run, loops, flats = [], [], []
            for bufs, p in zip(runs, points):
                buf = bufs[s.name]
                coefs, flat = _site_strides(buf.trace, blocks)
                if s.rows:
                    coefs[ROW_PITCH] = coefs.get(ROW_PITCH, 1)
                offsets = sorted(set(from_start(bufs, p)))
                chain, extents = _delinearise(offsets, set(coefs) | ({1} if flat else set()), interleaved)
                per_run.append((chain, extents))
                loops.append([coefs.get(c, e) for c, e in zip(chain, extents)])
                flats.append(flat // chain[0] if flat and chain else 0)
            if len({len(ch) for ch, _ in per_run}) == 1:
                break
        if {len(ch) for ch, _ in per_run} == {0, 1}:
            # one element at some sizes (a loop to `n - m + 1` that ran once): a vector there too
            per_run = [(ch, ext) if ch else ([1], [1]) for ch, ext in per_run]
            loops = [lp if lp else [1] for lp in loops]
        if len({len(ch) for ch, _ in per_run}) != 1:
            raise UnsupportedConstruct(f"the layout of '{s.name}' changes with the sizes")
        order = len(per_run[0][0])
        fitted_extents = [fit_extent(names, points, [ext[k] for _, ext in per_run]) for k in range(order)]
        loop_extents = [fit(names, points, [lp[k] for lp in loops]) for k in range(order)]
        if order and any(flats):
            # a flattened fill covers rows the nested loops must cover too
            filled = fit(names, points, flats)
            if filled is not None and loop_extents[0] is not None and filled != loop_extents[0]:
                diff = filled - loop_extents[0]
                if len(diff.terms) == 2 and sorted(c for _, c in diff.terms) == [-1, 1]:
                    raise _Tie(*sorted((n for n, _ in diff.terms), key=dims.index))
        fitted_strides: list[Optional[Product]] = [None] * order
        for k in reversed(range(order)):
            values = [ch[k] for ch, _ in per_run]
            if k == order - 1 or (s.rows and k == 0):
                st = fit(names, points, values)
                if st is None:
                    raise UnsupportedConstruct(f"the strides of '{s.name}' are not affine in the sizes")
                if k == order - 1 and st.names & set(strides):
                    # an increment parameter (`X[i*INCX]`): dense means 1
                    if len(st.terms) != 1 or st.terms[0][1] != 1 or st.const:
                        raise UnsupportedConstruct(f"stride expression {st} of '{s.name}'")
                    stride_values[st.terms[0][0]] = Affine((), 1)
                elif k == order - 1 and st != Affine((), 1):
                    if order > 1:
                        raise UnsupportedConstruct(f"access with a constant step of {st} to '{s.name}'")
                    # `x[2*i]`: a dense vector read every st elements, as long as the last one read
                    st = Affine((), 1)
                    fitted_extents[k] = fit_extent(names, points, [max(from_start(bufs, p)) + 1
                                                                   for bufs, p in zip(runs, points)])
                fitted_strides[k] = Product((st,))
                continue
            ratio = fit(names, points, [ch[k] // ch[k + 1] for ch, _ in per_run])
            if ratio is None:
                raise UnsupportedConstruct(f"the strides of '{s.name}' are not affine in the sizes")
            fitted_strides[k] = fitted_strides[k + 1].times(ratio)
            # rows of `ratio` elements hold `want`: a stride parameter, a padded layout,
            # or two sizes the indexing is only consistent for when equal
            want = loop_extents[k + 1] or fitted_extents[k + 1]
            if want is None or ratio == want:
                continue
            stride_params = ratio.names & set(strides)
            if stride_params:
                # `lda`, or a padding macro added to a size (`nj + PAD`, PolyBench's C99
                # prototypes): dense when the rows hold `want`, with every padding 0
                macros = {x.name for x in slots if x.macro}
                unit = sorted((n for n, c in ratio.terms if c == 1 and n in stride_params), key=macros.__contains__)
                pads = {n: Affine((), 0) for n in stride_params if not unit or n != unit[0]}
                if not unit or not isinstance(want, Affine) or not set(pads) <= macros:
                    raise UnsupportedConstruct(f"stride expression {ratio} of '{s.name}'")
                stride_values.update(pads)
                stride_values[unit[0]] = want - (ratio.substitute(pads) - Affine(((unit[0], 1),)))
                continue
            diff = ratio - want
            if len(diff.terms) == 2 and sorted(c for _, c in diff.terms) == [-1, 1]:
                raise _Tie(*sorted((n for n, _ in diff.terms), key=dims.index))
            if not diff.terms and diff.const > 0 and k == order - 2 and fitted_extents[k] is not None and all(
                    max(from_start(bufs, p)) // want.eval(p) + 1 == fitted_extents[k].eval(p)
                    for bufs, p in zip(runs, points) if bufs[s.name].trace):
                # a row step of `n + 1` is a loop starting on the diagonal (`for (j = i; ...)
                # A[i*n + j]`) when the rows of n hold every element touched: dense rows
                fitted_strides[k] = fitted_strides[k + 1].times(want)
        if None in fitted_extents:
            declared = None if base else \
                _declared_layout(kernel, s, ties, free, [bufs[s.name] for bufs in runs], [env_of(p) for p in points])
            if declared is None:
                raise UnsupportedConstruct(f"the extent of '{s.name}' is not affine in the sizes")
            layouts[s.name] = declared
        else:
            layouts[s.name] = Layout(fitted_extents, fitted_strides, s.rows, base)
        buf0 = runs[0][s.name]
        if buf0.seen_type is not None and s.field is not None:
            s.dtype = buf0.seen_type
        # read or written in any run, at any size: not only in the first
        wrote = any(t[3] for bufs in runs for t in bufs[s.name].trace)
        read_initial = any(v for bufs in runs for v in bufs[s.name].first_read.values())
        # an element of the region that the kernel leaves alone keeps its old value: the
        # old contents matter (`y[i]` for 1 <= i < n-1 leaves y[0])
        partial = wrote and not read_initial and not s.is_return and any(
            _untouched(layouts[s.name], env_of(p), bufs[s.name]) for bufs, p in zip(runs, points))
        access[s.name] = "write" if s.is_return else "read" if s.by_value else \
            "readwrite" if wrote and (read_initial or partial) else "write" if wrote else "read"
    # strides are dense in examples: substitute their values into every layout
    for lay in layouts.values():
        lay.strides = [st.substitute(stride_values) for st in lay.strides]
    for sp in strides:
        if sp not in stride_values:
            raise UnsupportedConstruct(f"stride parameter '{sp}' whose row length cannot be inferred")
    # expressions mention each tie group by its first member
    return layouts, stride_values, access, {d: points[0][d] for d in free}


def _bases(free: list[str]) -> list[dict[str, int]]:
    """Sizes to start from, in order of preference: 3, 4, 5, ... (distinct, so that no index
    order passes by symmetry); the other way round (a loop to `n - m + 1` runs only when
    n > m); then spread further apart (a valid convolution needs `H - KH + 1 >= 2`)."""
    k = len(free)
    orders = [list(range(k)), list(range(k - 1, -1, -1))]
    return [{d: BASE_SIZE + gap * rank for d, rank in zip(free, order)} for gap in (1, 2, 3) for order in orders]


def _runs(kernel, slots, free, strides, env_of, budget, where=None, sides=()):
    """The points analysis fits at (a base, each size and stride moved, everything moved) and
    the kernel's runs there. The base is the first of `_bases` where every loop runs at least
    twice at every point (a loop that runs once or never shows no stride and no extent, and
    sizes fitted from it would be tied wrongly), else the one where the fewest do not.
    `where`: the sizes of the case of the size checks."""
    loops = {id(n) for f in kernel.functions.values() for n in A.walk(f.body) if isinstance(n, A.Loop)}
    best = None
    for base in _bases(free):
        base.update({s: BASE_STRIDE * (i + 2) for i, s in enumerate(strides)})
        points = _around(base, free, strides, where, env_of)
        if points is None:
            continue
        trips = [{} for _ in points]
        runs = [trace_sides(kernel, slots, env_of(p), sides, seed=i, budget=budget, trips=t)
                for i, (p, t) in enumerate(zip(points, trips))]
        touched = [{n for n, b in bufs.items() if b.trace} for bufs in runs]
        short = sum(t.get(lp, 0) < 2 for t in trips for lp in loops)
        score = (any(t != touched[0] for t in touched), short)
        if best is None or score < best[0]:
            best = (score, points, runs)
        if score == (False, 0):
            break
    if best is None:
        raise UnsupportedConstruct("no sizes near 3..9 lie on this side of the size check")
    return best[1], best[2]


def trace_sides(kernel: A.Kernel, slots: list[Slot], env: dict[str, int], sides, **kw):
    """`trace_run` once with the value scalars on each side of the branches on them
    (`Analysis.sides`), as one run: every access of each, an element read first where any
    reads it first."""
    return _union([trace_run(kernel, slots, {**env, **side}, **kw) for side in sides or [{}]])


def _union(runs: list[dict]) -> dict:
    out = runs[0]
    for other in runs[1:]:
        for name, buf in other.items():
            mine = out[name]
            mine.trace.extend(buf.trace)
            for off, first in buf.first_read.items():
                mine.first_read[off] = mine.first_read.get(off, False) or first
            mine.seen_type = mine.seen_type or buf.seen_type
    return out


def _around(base: dict, free: list[str], strides: list[str], where, env_of) -> Optional[list[dict]]:
    """The base, each size (+1) and stride (+7) moved alone, and all moved (+2, +3): the
    points the affine fits need. In a case of the size checks (`where`), each is moved to
    the nearest sizes the case allows (the moved size kept where possible); None if there
    are none."""
    def ok(p):
        return where.holds(env_of(p))
    if where is not None:
        base = allowed(where, ok, base, free)
        if base is None:
            return None
    points = [dict(base)]
    for n in free + strides:
        p = dict(base)
        p[n] += 1 if n in free else 7
        points.append(p)
    points.append({n: v + (2 if n in free else 3) for n, v in base.items()})
    if where is None:
        return points
    out = [base]
    for k, p in enumerate(points[1:], 1):
        moved = (free + strides)[k - 1] if k <= len(free) + len(strides) else None
        q = allowed(where, ok, p, free, frozenset({moved}) if moved in free else frozenset(), out)
        if q is None:
            return None
        out.append(q)
    return out


def _declared_layout(kernel, s: Slot, ties: dict, free: list[str], bufs, envs) -> Optional[Layout]:
    """The shape a VLA parameter declares (`double A[m][m]`), for a region the trace cannot
    fit (a triangle whose rows start further in at each step, as in `A[k][i]` for k > i),
    as long as every element touched lies in it."""
    if s.rows or s.field is not None or s.is_global:
        return None
    t = A.strip_ref(next((p.type for p in kernel.params if p.name == s.param), None))
    sizes = []
    while isinstance(t, A.Array):
        sizes.append(t.size)
        t = t.elem
    if len(sizes) < 2 or not all(isinstance(e, A.Name) and ties.get(e.name, e.name) in free for e in sizes):
        return None
    shape = [Affine(((ties.get(e.name, e.name), 1),)) for e in sizes]
    strides = [Product(tuple(shape[k + 1:]) or (Affine((), 1),)) for k in range(len(shape))]
    for buf, env in zip(bufs, envs):
        total = math.prod(a.eval(env) for a in shape)
        if any(not 0 <= entry[1] < total for entry in buf.trace):
            return None
    return Layout(shape, strides, False)


class _Tie(Exception):
    """Two sizes the indexing is only consistent for when equal."""

    def __init__(self, first: str, second: str):
        self.first, self.second = first, second
