"""The interpreter (c/interp.py) on concrete values, in this process: C's arithmetic (truncating
division, wrap-around at the type's width, promotions clang made explicit), pointer walking,
2-D and `T **` arrays, control flow, the trace analysis reads, and the limits that turn a bad
kernel into an error instead of a hang or a wrong value."""
from __future__ import annotations

import pytest

from tensorlift.c import ast as A
from tensorlift.c.frontend import load_kernel
from tensorlift.c.interp import Buffer, Interpreter, Ptr, Undefined
from tensorlift.c.slots import ROW_PITCH, array_pointer, flatten
from tensorlift.errors import KernelRunError, UnsupportedConstruct


def array(name, values, dtype="int", trace=None):
    """A pointer to a buffer holding `values` (elements never written read as 0)."""
    buf = Buffer(name, init=lambda off: 0, trace=trace)
    buf.data.update(enumerate(values))
    return Ptr(buf, 0, A.Scalar(dtype)), buf


def contents(buf, n):
    return [buf.data.get(i, 0) for i in range(n)]


def run(c, **args):
    """Runs the file's one kernel; returns (its return value, the buffers of its array arguments)."""
    kernel = load_kernel(c)
    bufs = {}
    for name, v in list(args.items()):
        if isinstance(v, list):
            dtype = A.element(next(p.type for p in kernel.params if p.name == name)).dtype
            args[name], bufs[name] = array(name, v, dtype)
    return Interpreter(kernel).call(args), bufs


def test_integer_division_and_remainder_truncate_toward_zero():
    c = "void f(int n, const int *a, const int *b, int *q, int *r) { for (int i = 0; i < n; i++) { q[i] = a[i] / b[i]; r[i] = a[i] % b[i]; } }"
    _, bufs = run(c, n=4, a=[7, -7, 7, -7], b=[2, 2, -2, -2], q=[0] * 4, r=[0] * 4)
    assert contents(bufs["q"], 4) == [3, -3, -3, 3]       # Python's // would give -4 twice
    assert contents(bufs["r"], 4) == [1, -1, 1, -1]


def test_integer_division_by_zero_is_undefined_not_a_value():
    with pytest.raises(Undefined, match="division by zero at line 1"):
        run("int f(int a, int b) { return a / b; }", a=1, b=0)


def test_narrow_types_wrap_and_promote():
    # uint8 + uint8 is computed in int (no wrap), then stored into uint8 (wraps mod 256)
    c = "void f(int n, const unsigned char *a, const unsigned char *b, unsigned char *o, int *w) {" \
        " for (int i = 0; i < n; i++) { o[i] = a[i] + b[i]; w[i] = a[i] + b[i]; } }"
    _, bufs = run(c, n=2, a=[200, 1], b=[100, 2], o=[0, 0], w=[0, 0])
    assert contents(bufs["o"], 2) == [44, 3]
    assert contents(bufs["w"], 2) == [300, 3]
    ret, _ = run("int f(int a) { return a * 2; }", a=2**30)       # int arithmetic wraps at 32 bits
    assert ret == -2**31
    ret, _ = run("unsigned f(unsigned a) { return a - 1u; }", a=0)
    assert ret == 2**32 - 1


def test_float_to_int_conversion_truncates():
    ret, _ = run("int f(double x) { return x * 3; }", x=-2.5)
    assert ret == -7


def test_pointer_walking_and_reset():
    c = """void f(int n, int m, const int *A, const int *x, int *y) {
        const int *p = A;
        for (int i = 0; i < n; i++) {
            const int *q = x; int s = 0;
            for (int j = 0; j < m; j++) s += *p++ * *q++;
            *y++ = s;
        }
    }"""
    _, bufs = run(c, n=2, m=3, A=[1, 2, 3, 4, 5, 6], x=[1, 0, -1], y=[0, 0])
    assert contents(bufs["y"], 2) == [1 - 3, 4 - 6]


def test_two_dimensional_and_pointer_to_pointer_arrays():
    c = "void f(int n, int m, int A[n][m], int *r) { for (int i = 0; i < n; i++) { r[i] = 0; for (int j = 0; j < m; j++) r[i] += A[i][j]; } }"
    _, bufs = run(c, n=2, m=3, A=[1, 2, 3, 10, 20, 30], r=[0, 0])
    assert contents(bufs["r"], 2) == [6, 60]
    # `int **`: rows lie ROW_PITCH apart in one buffer, as array_pointer lays them out
    kernel = load_kernel("void g(int n, int m, int **A, int *r) { for (int i = 0; i < n; i++) r[i] = A[i][m - 1]; }")
    slots = {s.name: s for s in flatten(kernel)}
    rows, buf = array_pointer(slots["A"], init=lambda off: off // ROW_PITCH * 100 + off % ROW_PITCH, trace=None)
    out, obuf = array("r", [0, 0])
    Interpreter(kernel).call({"n": 2, "m": 3, "A": rows, "r": out})
    assert contents(obuf, 2) == [2, 102]


def test_control_flow_break_continue_early_return_and_helpers():
    c = """static int sq(int v) { return v * v; }
    int f(int n, const int *x) {
        int s = 0;
        for (int i = 0; i < n; i++) {
            if (x[i] < 0) continue;
            if (x[i] == 99) break;
            s += sq(x[i]);
        }
        if (s > 100) return -1;
        return s;
    }"""
    assert run(c, n=5, x=[1, -2, 3, 99, 4])[0] == 1 + 9
    assert run(c, n=2, x=[10, 1])[0] == -1
    ret, _ = run("int f(int n) { int i = 0, s = 0; do { s += i; i++; } while (i < n); return s; }", n=0)
    assert ret == 0                      # a do-while runs its body once


def test_trace_records_every_access_with_its_loop_counters():
    kernel = load_kernel("void f(int n, const int *x, int *y) { for (int i = 0; i < n; i++) y[n - 1 - i] = x[i]; }")
    trace = []
    x, _ = array("x", [5, 6, 7], trace=trace)
    y, ybuf = array("y", [0, 0, 0], trace=trace)
    Interpreter(kernel).call({"n": 3, "x": x, "y": y})
    assert contents(ybuf, 3) == [7, 6, 5]
    accesses = [(off, counters, stored) for _, off, counters, stored, _ in trace]
    assert accesses == [(0, (0,), False), (2, (0,), True), (1, (1,), False), (1, (1,), True),
                        (2, (2,), False), (0, (2,), True)]


def test_a_kernel_that_never_ends_is_stopped():
    kernel = load_kernel("void f(int *y) { for (;;) y[0]++; }")
    y, _ = array("y", [0])
    with pytest.raises(KernelRunError):
        Interpreter(kernel, max_steps=1000).call({"y": y})


def test_scratch_memory_is_never_read_before_written_and_local_arrays_are_bounds_checked():
    c = "#include <stdlib.h>\nint f(int n, int j) { int *t = malloc(n * sizeof(int)); t[1] = 1; int v = t[j]; free(t); return v; }"
    assert run(c, n=3, j=1)[0] == 1
    with pytest.raises(KernelRunError, match=r"uninitialised memory malloc@2\[0\] at line 2"):
        run(c, n=3, j=0)
    c = "int f(int k) { int t[3] = {0}; t[k] = 1; return t[0]; }"
    assert run(c, k=0)[0] == 1
    with pytest.raises(KernelRunError, match=r"t\[3\] at line 1: beyond its 3 elements"):
        run(c, k=3)


def test_recursion_is_refused_by_name():
    with pytest.raises(UnsupportedConstruct, match="recursive call to 'f'"):
        run("int f(int n) { return n <= 0 ? 0 : n + f(n - 1); }", n=3)
