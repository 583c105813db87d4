"""How large each size must get before every path of the loops it drives has run.

A bounded proof at sizes 1..3 and examples at sizes 3..6 never run an unrolled body
(`for (; i + 8 <= n; i += 8)`, `blkCnt = n >> 2U`, `n & ~7`) or run it once, so a bug in
its eighth lane or its second block passes both. The constants of the loop structure say
how far to go: loop steps and the constants of shifts, masks, `%` and `/` on sizes are
block lengths (two full blocks and every remainder: 3*B - 1); constants in loop bounds and
in the conditions on loop counters are thresholds the loops must pass.

A constant belongs to the dimensions its expression depends on (through local variables,
flow-insensitively: a dependence too many only adds sizes to the proof). Array values never
make a structure constant: `x[i] >> 2` is arithmetic, not a block.
"""
from __future__ import annotations

from dataclasses import dataclass

from . import ast as A
from .ast import field_path

LIMIT = 64
"""No dimension is asked to go beyond this size (`if (n > 1024)`: the proof says how far it went)."""


@dataclass(frozen=True)
class Reach:
    """For one dimension: the size the proof must reach, the largest block length of the
    loops it drives (1: none), and the line of the constant that asks for the most."""
    size: int
    block: int
    line: int


def loop_reach(kernel: A.Kernel, dims: list[str]) -> dict[str, Reach]:
    """The dimensions whose loop structure asks for sizes beyond 3, with what it asks."""
    scan = _Scan(kernel, set(dims))
    scan.run()
    out = {}
    for d in dims:
        block, offset, counter = scan.blocks.get(d, (1, 0)), scan.offsets.get(d, (0, 0)), scan.counters.get(d)
        asks = [(3 * block[0] - 1, block[1]), (offset[0] + 2, offset[1])]
        if counter is not None:
            asks.append(((counter[0] + 3) * block[0] - 1, counter[1]))
        size, line = max(asks)
        if size > 3:
            out[d] = Reach(min(size, LIMIT), block[0], line)
    return out


_BLOCK_OPS = {">>": lambda c: 1 << c, "<<": lambda c: 1 << c, "&": lambda c: c + 1, "%": lambda c: c, "/": lambda c: c}


class _Scan:
    def __init__(self, kernel: A.Kernel, dims: set[str]):
        self.k = kernel
        self.dims = dims
        self.deps: dict[str, set[str]] = {}
        self.data: set[str] = set()                   # variables holding values computed from arrays
        self.governed: dict[str, set[str]] = {}       # a variable a loop moves -> the loop's dimensions
        self.blocks: dict[str, tuple[int, int]] = {}  # dimension -> (largest block length, its line)
        self.offsets: dict[str, tuple[int, int]] = {}
        self.counters: dict[str, tuple[int, int]] = {}

    def run(self) -> None:
        functions = list(self.k.functions.values())
        for f in functions:
            for node in A.walk(f.body):
                self._dependence(node)
        grown = True
        while grown:
            more = {v for v, ds in self.deps.items() if ds & self.data}
            grown = not more <= self.data
            self.data |= more
        for f in functions:
            for node in A.walk(f.body):
                if isinstance(node, A.Loop):
                    self._loop(node)
        for f in functions:
            for node in A.walk(f.body):
                if isinstance(node, A.Binary) and node.op in _BLOCK_OPS:
                    self._block_op(node.op, node.left, node.right, node.line)
                elif isinstance(node, A.Assign) and node.op[:-1] in _BLOCK_OPS:
                    self._block_op(node.op[:-1], node.target, node.value, node.line)
                elif isinstance(node, (A.If, A.Cond)):
                    self._condition(node.cond)

    # -- dependence --------------------------------------------------------
    def _dependence(self, node) -> None:
        if isinstance(node, A.Decl) and node.init is not None:
            self._depends(node.name, node.init)
        elif isinstance(node, A.Assign) and isinstance(node.target, A.Name):
            self._depends(node.target.name, node.value)
        elif isinstance(node, A.Call) and node.func in self.k.functions:
            for p, arg in zip(self.k.functions[node.func].params, node.args):
                self.deps.setdefault(p.name, set()).update(self.names(arg))

    def _depends(self, name: str, value) -> None:
        self.deps.setdefault(name, set()).update(self.names(value))
        if _reads_data(value) and not isinstance(A.strip_ref(getattr(value, "type", None)), (A.Pointer, A.Array)):
            self.data.add(name)

    def reads_data(self, e) -> bool:
        return _reads_data(e) or bool(self.names(e) & self.data)

    def names(self, e) -> set[str]:
        out = set()
        for n in A.walk(e):
            if isinstance(n, A.Name):
                out.add(n.name)
            elif isinstance(n, A.Lit) and n.macro:
                out.add(n.macro)
            elif isinstance(n, A.Member):
                out.add(field_path(n))
        return out

    def dims_of(self, e) -> set[str]:
        seen, todo = set(), list(self.names(e))
        while todo:
            n = todo.pop()
            if n not in seen:
                seen.add(n)
                todo.extend(self.deps.get(n, ()))
        return seen & self.dims

    # -- what asks for sizes -----------------------------------------------
    def _ask(self, table: dict, dims: set[str], value: int, line: int) -> None:
        for d in dims:
            if value > table.get(d, (-1, 0))[0]:
                table[d] = (value, line)

    def _loop(self, node: A.Loop) -> None:
        if node.cond is None:
            return
        dims = self.dims_of(node.cond)
        if not dims:
            return
        walked = [n for part in (node.body, node.step) if part is not None for n in A.walk(part)]
        moved = {n.target.name for n in walked if isinstance(n, A.Assign) and isinstance(n.target, A.Name)}
        moved |= {n.operand.name for n in walked if isinstance(n, A.Unary) and n.op in ("++", "--", "p++", "p--")
                  and isinstance(n.operand, A.Name)}
        for v in moved:
            self.governed.setdefault(v, set()).update(dims)
        counters = self.names(node.cond)
        for part in (node.step, node.body if node.step is None else None):
            for n in A.walk(part) if part is not None else ():
                step = _step(n, counters)
                if step is not None:
                    self._ask(self.blocks, dims, step, node.line)
        for part in (node.cond, node.init):
            for n in A.walk(part) if part is not None else ():
                if isinstance(n, A.Lit) and isinstance(n.value, int) and not n.macro:
                    self._ask(self.offsets, dims, abs(n.value), node.line)

    def counted(self, names) -> set[str]:
        """The dimensions of the loops that move these variables."""
        return set().union(*(self.governed.get(v, set()) for v in names))

    def _block_op(self, op: str, left, right, line: int) -> None:
        right = _bare(right)
        if isinstance(right, A.Unary) and right.op == "~" and isinstance(_bare(right.operand), A.Lit):
            right = A.Lit(right.line, ~_bare(right.operand).value, right.type)     # `n & ~7`
        if not isinstance(right, A.Lit) or not isinstance(right.value, int) or right.macro or self.reads_data(left):
            return
        c = right.value
        if op == "&" and c < 0:            # `n & -8` (`~7` folded): a block of 8
            c = ~c
        if c <= 0 or (c > 30 and op in ("<<", ">>")):
            return
        dims = self.dims_of(left) | self.counted(self.names(left))
        self._ask(self.blocks, dims, _BLOCK_OPS[op](c), line)

    def _condition(self, cond) -> None:
        """Constants compared with loop counters (`if (k == 1)`, `if (i < n - 2)`) or sizes
        (`if (n < 16) return;`: the sizes past it are the ones that compute)."""
        for n in A.walk(cond):
            if not (isinstance(n, A.Binary) and n.op in ("<", ">", "<=", ">=", "==", "!=")) or self.reads_data(n):
                continue
            consts = [abs(x.value) for x in A.walk(n) if isinstance(x, A.Lit) and isinstance(x.value, int)
                      and not x.macro]
            if not consts:
                continue
            direct = self.dims_of(n)       # a check of the sizes alone too: `if (n < 16) return -1;`
            self._ask(self.offsets, direct, max(consts), n.line)
            self._ask(self.counters, self.counted(self.names(n)) - direct, max(consts), n.line)


def _bare(e):
    while isinstance(e, A.Cast):
        e = e.expr
    return e


def _reads_data(e) -> bool:
    """Whether an expression reads array elements (its value is data, not structure)."""
    return any(isinstance(n, A.Index) or (isinstance(n, A.Unary) and n.op == "*") for n in A.walk(e))


def _step(n, counters: set[str]):
    """The constant a loop step moves one of the loop's counters by (`i += 8`, `i = i + 8`),
    or None."""
    if not (isinstance(n, A.Assign) and isinstance(n.target, A.Name) and n.target.name in counters):
        return None
    if n.op in ("+=", "-=") and isinstance(_bare(n.value), A.Lit):
        v = _bare(n.value).value
        return abs(v) if isinstance(v, int) and v else None
    if n.op == "=":
        rhs = _bare(n.value)
        if isinstance(rhs, A.Binary) and rhs.op in "+-" and isinstance(_bare(rhs.left), A.Name) \
                and _bare(rhs.left).name == n.target.name and isinstance(_bare(rhs.right), A.Lit):
            v = _bare(rhs.right).value
            return abs(v) if isinstance(v, int) and v else None
    return None
