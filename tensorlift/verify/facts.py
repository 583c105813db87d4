"""What holds where symbolic execution is (the path condition), decided with z3, and what the
inductive prover does not follow."""
from __future__ import annotations

import threading
from typing import Optional

import z3


class Unprovable(Exception):
    """What the inductive prover does not follow (the caller proves up to a bound instead)."""


class Facts:
    """The path condition: sizes positive, the iteration ranges of the loops around, the
    branches taken. Decides index conditions with z3, incrementally."""

    def __init__(self, base: list, timeout_ms: int = 1000):
        self.solver = z3.Solver()
        self.solver.set("timeout", timeout_ms)
        self.solver.add(*base)
        self.base = list(base)
        self.stack: list[list] = []
        self._cache: dict = {}

    def push(self, *facts) -> None:
        self.solver.push()
        self.stack.append(list(facts))
        self.solver.add(*facts)
        self._cache = {}

    def pop(self) -> None:
        self.solver.pop()
        self.stack.pop()
        self._cache = {}

    def assume(self, *facts) -> None:
        """Facts of the current path from here on (what the C leaves undefined otherwise):
        they go when the path's frame is popped."""
        (self.stack[-1] if self.stack else self.base).extend(facts)
        self.solver.add(*facts)
        self._cache = {}

    @property
    def all(self) -> list:
        return self.base + [f for fs in self.stack for f in fs]

    def holds(self, c) -> bool:
        c = z3.simplify(as_bool(c))
        if z3.is_true(c):
            return True
        if z3.is_false(c):
            return False
        key = c.get_id()          # the term is kept with its answer, so its id is not reused
        hit = self._cache.get(key)
        if hit is None or not hit[0].eq(c):
            self.solver.push()
            self.solver.add(z3.Not(c))
            hit = self._cache[key] = (c, self.solver.check() == z3.unsat)
            self.solver.pop()
        return hit[1]

    def decide(self, c) -> Optional[bool]:
        if self.holds(c):
            return True
        if self.holds(z3.Not(as_bool(c))):
            return False
        return None

    def unsat(self, *extra) -> bool:
        """Whether the facts and `extra` have no model (a side condition of a closed form)."""
        self.solver.push()
        self.solver.add(*extra)
        r = self.solver.check()
        self.solver.pop()
        return r == z3.unsat


def as_bool(c):
    if isinstance(c, (bool, int)):
        return z3.BoolVal(bool(c))
    return c if z3.is_bool(c) else c != 0


def interruptible_check(solver: z3.Solver):
    """`solver.check()` in a helper thread, so that Ctrl-C reaches the main thread at once
    (a signal handler only runs between Python bytecodes, never inside z3) and interrupts
    the solver, instead of waiting for it to finish. z3's own Ctrl-C handler is off: it
    would take the signal, give up on the query ("unknown") and the run would go on."""
    solver.set("ctrl_c", False)
    answer: list = []
    worker = threading.Thread(target=lambda: answer.append(solver.check()), daemon=True)
    worker.start()
    try:
        worker.join()
    except BaseException:
        solver.ctx.interrupt()
        worker.join()
        raise
    if not answer:      # the check itself failed (z3 raised in the thread)
        return z3.unknown
    return answer[0]


def nonzero_divisors(terms) -> list:
    """Every real divisor in the terms is nonzero: a float divided by zero is inf or NaN in
    C, which real arithmetic has no value for, so a proof covers the inputs where no
    division is by zero (as the examples do)."""
    seen, out, todo = set(), [], list(terms)
    while todo:
        t = todo.pop()
        if t.get_id() in seen:
            continue
        seen.add(t.get_id())
        if z3.is_app_of(t, z3.Z3_OP_DIV) and not z3.is_rational_value(t.arg(1)):
            out.append(t.arg(1) != 0)
        todo.extend(t.children())
    return out
