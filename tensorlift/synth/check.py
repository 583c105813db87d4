"""Checking a candidate statement against the examples of the real C code."""
from __future__ import annotations

from typing import Sequence

import numpy as np

from .. import carith
from ..signature import Example, Signature
from ..taco.evaluate import EvalError, evaluate
from ..taco.ir import Program, Statement
from ..taco.typing import dtypes_of


def input_scale(ex: Example) -> float:
    """The magnitude of an example's inputs: the absolute floor of float comparisons."""
    mags = [float(np.max(np.abs(v))) for v in map(np.asarray, ex.inputs.values())
            if v.size and v.dtype.kind in "iuf" and np.all(np.isfinite(v))]
    return max(mags + [1.0])


def example_env(ex: Example, sig: Signature) -> dict:
    """The inputs, plus the zeros the C call started write-only arrays from: a statement
    that reads no tensor of the output's shape (`hist(i) = 0`) still has its extents."""
    env = dict(ex.inputs)
    for p in sig.params:
        if p.access == "write" and p.name not in env and p.name in ex.outputs:
            env[p.name] = np.zeros_like(np.asarray(ex.outputs[p.name]))
    return env


class Checker:
    """Checks one output's statement on every example. The statement reads the inputs and
    the final values of the outputs computed before it (`before`)."""

    def __init__(self, sig: Signature, examples: Sequence[Example], output: str, before: Sequence[str]):
        self.output = output
        self.dtypes = dtypes_of(sig)
        self.dtype = self.dtypes[output]
        self.rtol = carith.tolerance(self.dtypes.values())
        self.cases = []
        for ex in examples:
            env = example_env(ex, sig)
            for b in before:
                env[b] = ex.outputs[b]
            self.cases.append((env, ex.outputs[output], input_scale(ex)))

    def __call__(self, stmt: Statement) -> bool:
        prog = Program((stmt,))
        for env, want, scale in self.cases:
            try:
                got = evaluate(prog, env, self.dtypes)[self.output]
            except EvalError:
                return False
            if not carith.matches(got, want, self.dtype, self.rtol, scale):
                return False
        return True


def check_program(program: Program, sig: Signature, examples: Sequence[Example]) -> bool:
    """The whole program on every example, every output compared."""
    dtypes = dtypes_of(sig)
    rtol = carith.tolerance(dtypes.values())
    for ex in examples:
        try:
            got = evaluate(program, example_env(ex, sig), dtypes)
        except EvalError:
            return False
        scale = input_scale(ex)
        for name, want in ex.outputs.items():
            if name not in got or not carith.matches(got[name], want, dtypes[name], rtol, scale):
                return False
    return True
