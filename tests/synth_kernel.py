"""One small kernel for the grammar and enumerator tests, analysed in this process (the
interpreter, no compiler), with examples computed by the evaluator from its right program
(the search only reads inputs and outputs, so the C need not run)."""
from __future__ import annotations

import functools

import numpy as np

from tensorlift.c.analysis import analyze
from tensorlift.signature import Example
from tensorlift.synth.check import dtypes_of
from tensorlift.taco.evaluate import evaluate
from tensorlift.taco.parse import parse_program

GEMV = """void gemv(int m, int n, float alpha, const float *A, const float *x, float *y) {
    for (int i = 0; i < m; i++) {
        float s = 0;
        for (int j = 0; j < n; j++) s += A[i*n + j] * x[j];
        y[i] = alpha * s;
    }
}"""


@functools.lru_cache(maxsize=None)
def gemv():
    return analyze(GEMV)


def examples(analysis, program: str, seed: int = 0, sizes=({"m": 3, "n": 4}, {"m": 2, "n": 5})):
    """Inputs drawn at distinct sizes (fixed seed), outputs from `program`."""
    rng = np.random.default_rng(seed)
    sig = analysis.signature
    out = []
    for s in sizes:
        inputs = dict(s)
        for p in sig.params:
            if p.kind == "array" and p.access != "write":
                inputs[p.name] = rng.integers(-4, 5, size=[s[d] for d in p.shape]) / 2
            elif p.kind == "scalar" and p.name not in s:
                inputs[p.name] = 1.5
        env = {**inputs, **{p.name: np.zeros([s[d] for d in p.shape]) for p in sig.arrays if p.access == "write"}}
        got = evaluate(parse_program(program), env, dtypes_of(sig))
        out.append(Example(s, inputs, {o: got[o] for o in sig.outputs}))
    return out
