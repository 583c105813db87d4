"""Loops unrolled by hand, rolled back up, for reading the code.

DSP libraries write nearly every vector kernel as a block loop that does the work of K
iterations at once and a loop for the rest:

    blkCnt = n >> 2U;  while (blkCnt > 0U) { S S S S  blkCnt--; }
    blkCnt = n % 4U;   while (blkCnt > 0U) { S  blkCnt--; }

which is `blkCnt = n; while (blkCnt > 0U) { S  blkCnt--; }`. The statements read off the
code (synth/translate) come from the rolled form, where an element is one iteration rather
than one lane of a block. The rolled kernel is for reading only: every candidate is checked
and proved against the C as written.
"""
from __future__ import annotations

import copy
from typing import Optional

from . import ast as A


def rerolled(kernel: A.Kernel) -> Optional[A.Kernel]:
    """A copy of the kernel with every such pair of loops rolled into one, or None when it
    has none."""
    rolled = copy.deepcopy(kernel)
    changed = False
    for f in rolled.functions.values():
        for node in A.walk(f.body):
            if isinstance(node, A.Block):
                changed |= _roll_block(node)
    if not changed:
        return None
    rolled.function = rolled.functions[rolled.name]
    return rolled


def _roll_block(block: A.Block) -> bool:
    changed = False
    j = 0
    while j + 2 < len(block.items):
        if _roll_at(block.items, j):
            changed = True
        j += 1
    return changed


def _roll_at(items: list, j: int) -> bool:
    """Rolls `init ... blocked; reset; rest` at items[j] (the blocked loop) in place."""
    blocked, reset, rest = items[j:j + 3]
    counter = _counted(blocked)
    if counter is None or _counted(rest) != counter:
        return False
    body, tail = _body(blocked), _body(rest)
    work, one = body[:-1], tail[:-1]
    if not one or len(work) % len(one) or len(work) < 2 * len(one):
        return False
    lanes = len(work) // len(one)
    if any(A.structure(a) != A.structure(b) for a, b in zip(work, one * lanes)):
        return False
    left = _assigned_value(reset, counter)
    n = _remainder_of(left, lanes) if left is not None else None
    init = next((k for k in range(j - 1, -1, -1) if _assigned_value(items[k], counter) is not None), None)
    whole = _quotient_of(_assigned_value(items[init], counter), lanes) if init is not None else None
    if n is None or whole is None or A.structure(whole) != A.structure(n) \
            or any(_assigns(items[k], counter) for k in range(init + 1, j)):
        return False
    _set_value(items[init], whole)
    del items[j:j + 2]
    return True


def _strip(e):
    while isinstance(e, A.Cast):
        e = e.expr
    return e


def _counted(loop) -> Optional[str]:
    """The counter of `while (c > 0) { ...; c--; }` (or `c != 0`, or `c`), if the loop is one."""
    if not isinstance(loop, A.Loop) or loop.init is not None or loop.step is not None or loop.over is not None:
        return None
    cond = _strip(loop.cond)
    if isinstance(cond, A.Binary) and cond.op in (">", "!=") and _literal(cond.right) == 0:
        cond = _strip(cond.left)
    if not isinstance(cond, A.Name):
        return None
    body = _body(loop)
    last = body[-1].expr if body and isinstance(body[-1], A.ExprStmt) else None
    dec = isinstance(last, A.Unary) and last.op in ("--", "p--") and _name(last.operand) == cond.name or \
        isinstance(last, A.Assign) and last.op == "-=" and _name(last.target) == cond.name and _literal(last.value) == 1
    return cond.name if dec else None


def _body(loop: A.Loop) -> list:
    return list(loop.body.items) if isinstance(loop.body, A.Block) else [loop.body]


def _name(e) -> Optional[str]:
    e = _strip(e)
    return e.name if isinstance(e, A.Name) else None


def _literal(e) -> Optional[int]:
    e = _strip(e)
    return e.value if isinstance(e, A.Lit) and isinstance(e.value, int) else None


def _assigned_value(stmt, name: str):
    """The value of `name = v;` or `T name = v;`, else None."""
    if isinstance(stmt, A.Decl) and stmt.name == name:
        return stmt.init
    e = stmt.expr if isinstance(stmt, A.ExprStmt) else None
    if isinstance(e, A.Assign) and e.op == "=" and _name(e.target) == name:
        return e.value
    return None


def _assigns(stmt, name: str) -> bool:
    return any(isinstance(n, A.Assign) and _name(n.target) == name or
               isinstance(n, A.Unary) and n.op in ("++", "--", "p++", "p--") and _name(n.operand) == name
               for n in A.walk(stmt))


def _set_value(stmt, value) -> None:
    if isinstance(stmt, A.Decl):
        stmt.init = value
    else:
        stmt.expr.value = value


def _quotient_of(e, lanes: int):
    """n of `n >> log2(lanes)` or `n / lanes`."""
    e = _strip(e)
    if isinstance(e, A.Binary) and (e.op == ">>" and 1 << (_literal(e.right) or 0) == lanes and _literal(e.right)
                                    or e.op == "/" and _literal(e.right) == lanes):
        return e.left
    return None


def _remainder_of(e, lanes: int):
    """n of `n % lanes` or `n & (lanes - 1)`."""
    e = _strip(e)
    if isinstance(e, A.Binary) and (e.op == "%" and _literal(e.right) == lanes
                                    or e.op == "&" and _literal(e.right) == lanes - 1 and lanes & (lanes - 1) == 0):
        return e.left
    return None
