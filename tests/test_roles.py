"""Roles of the scalar parameters (c/roles.py), in this process: the dependence analysis says
which scalars size loops (dimensions), which only move subscripts (strides), which enter the
arithmetic (values) and which only choose between pieces of code (flags); a flag's values fall
into intervals that each run the same code, and a kernel specialised to one case keeps only
the branch it takes."""
from __future__ import annotations

from tensorlift.c import ast as A
from tensorlift.c.frontend import load_kernel
from tensorlift.c.roles import analyse_flows, flag_intervals, representative, scalar_roles, specialised
from tensorlift.c.slots import flatten


def roles(c):
    kernel = load_kernel(c)
    slots = flatten(kernel)
    flows = analyse_flows(kernel, slots)
    return scalar_roles(slots, flows), flows


def test_dimensions_strides_and_values():
    got, flows = roles("void gemv(int m, int n, int lda, float alpha, const float *A, const float *x, float *y) {"
                       " for (int i = 0; i < m; i++) { float s = 0;"
                       " for (int j = 0; j < n; j++) s += A[i*lda + j] * x[j]; y[i] = alpha * s; } }")
    assert got == {"m": "dimension", "n": "dimension", "lda": "stride", "alpha": "value"}
    assert flows.control == {"m", "n"} and flows.address == {"lda"}
    assert flows.data == {"A", "x", "alpha"}                    # what reaches the stored value


def test_a_size_reached_through_a_local_is_still_a_dimension():
    got, _ = roles("void f(int n, const int *x, int *y) { int half = n / 2; for (int i = 0; i < half; i++) y[i] = x[2*i]; }")
    assert got == {"n": "dimension"}


def test_a_divisor_is_a_value_and_is_marked_as_a_divisor():
    got, flows = roles("void f(int n, int k, const int *x, int *y) { for (int i = 0; i < n; i++) y[i] = x[i] / k + k; }")
    assert got == {"n": "dimension", "k": "value"} and flows.divisors == {"k"}


def test_a_parameter_a_size_check_compares_with_a_dimension_is_one():
    got, flows = roles("int f(int na, int nb, const int *a, int *c) {"
                       " if (na != nb) return -1; for (int i = 0; i < na; i++) c[i] = a[i]; return 0; }")
    assert got == {"na": "dimension", "nb": "dimension"}
    assert flows.control == {"na"} and flows.compared == [{"na", "nb"}]


def test_flags_choose_code_values_enter_it():
    c = """void f(int n, int mode, int bias, const int *x, int *y) {
        for (int i = 0; i < n; i++) {
            if (mode > 1) y[i] = -x[i];
            else y[i] = x[i] + bias;
        }
    }"""
    got, _ = roles(c)
    assert got == {"n": "dimension", "mode": "flag", "bias": "value"}
    # a scalar that chooses by `?:` inside the stored value is part of the arithmetic
    got, _ = roles("void g(int n, int t, const int *x, int *y) { for (int i = 0; i < n; i++) y[i] = t ? x[i] : 0; }")
    assert got["t"] == "value"


def test_flag_intervals_each_run_the_same_code():
    kernel = load_kernel("void f(int n, int mode, const int *x, int *y) {"
                         " for (int i = 0; i < n; i++) { if (mode > 1) y[i] = -x[i]; else if (mode == 3) y[i] = 0; else y[i] = x[i]; } }")
    intervals = flag_intervals(kernel, "mode", "int")
    assert intervals == [(None, 0), (1, 1), (2, 2), (3, 3), (4, None)]
    assert [representative(iv) for iv in intervals] == [0, 1, 2, 3, 4]
    assert flag_intervals(kernel, "mode", "uint8")[0] == (0, 0)     # no negatives in uint8
    # `if (TA)`: zero and either side of it; a flag used otherwise than in tests is no flag
    kernel = load_kernel("void g(int n, int TA, const int *x, int *y) { for (int i = 0; i < n; i++) { if (TA) y[i] = x[i]; else y[i] = TA; } }")
    assert flag_intervals(kernel, "TA", "int") is None


def test_a_kernel_specialised_to_one_case_keeps_only_its_branch():
    kernel = load_kernel("void f(int n, int TA, const int *x, int *y) {"
                         " if (TA) { for (int i = 0; i < n; i++) y[i] = x[i]; } else { for (int i = 0; i < n; i++) y[i] = -x[i]; } }")
    assert flag_intervals(kernel, "TA", "int") == [(None, -1), (0, 0), (1, None)]
    for value, negated in ((1, False), (0, True)):
        case = specialised(kernel, {"TA": value})
        assert not any(isinstance(n, A.If) for n in A.walk(case.function.body))
        stores = [n for n in A.walk(case.function.body) if isinstance(n, A.Assign) and n.op == "="]
        assert [isinstance(s.value, A.Unary) and s.value.op == "-" for s in stores] == [negated]
    assert any(isinstance(n, A.If) for n in A.walk(kernel.function.body))      # the original is untouched
