"""The front end (c/frontend.py over libclang, c/clang.py), in this process: what the kernel
AST holds for small C and C++ snippets (types as dtypes, clang's implicit conversions as
explicit casts, loops in one form, macros and globals), which functions are kernels, and the
one-line errors for what it cannot read."""
from __future__ import annotations

import pytest

from tensorlift.c import ast as A
from tensorlift.c.clang import find_compiler
from tensorlift.c.frontend import load_kernel, parse
from tensorlift.errors import TensorliftError, UnsupportedConstruct

FLOAT, INT = A.Scalar("float"), A.Scalar("int")


def test_parameters_types_and_a_loop():
    k = load_kernel("void axpy(int n, float a, const float *x, float *y) {\n"
                    "    for (int i = 0; i < n; i++) y[i] += a * x[i];\n}")
    assert (k.name, k.language, k.path) == ("axpy", "c", None)
    assert [(p.name, p.type) for p in k.params] == [("n", INT), ("a", FLOAT), ("x", A.Pointer(FLOAT)),
                                                   ("y", A.Pointer(FLOAT))]
    [loop] = k.function.body.items
    assert isinstance(loop, A.Loop) and loop.test_first and loop.line == 2
    assert isinstance(loop.init, A.Decl) and loop.init.name == "i" and loop.init.init.value == 0
    assert loop.cond.op == "<" and loop.cond.right.name == "n" and loop.cond.right.scope == "param"
    assert isinstance(loop.step, A.Unary) and loop.step.op == "p++"
    store = loop.body.expr
    assert isinstance(store, A.Assign) and store.op == "+=" and store.type == FLOAT
    assert isinstance(store.target, A.Index) and store.target.base.name == "y"
    assert store.value.op == "*" and store.value.right.base.name == "x"


def test_implicit_conversions_are_explicit_casts():
    k = load_kernel("void f(int n, char c, const unsigned char *p, double *q) { for (int i = 0; i < n; i++) q[i] = p[i] + c; }")
    assert [p.type for p in k.params[1:3]] == [A.Scalar("int8"), A.Pointer(A.Scalar("uint8"))]
    value = k.function.body.items[0].body.expr.value
    assert isinstance(value, A.Cast) and value.implicit and value.type == A.Scalar("double")   # int -> double
    add = value.expr
    assert add.op == "+" and add.type == INT                   # uint8 + int8 computed in int
    assert all(isinstance(side, A.Cast) and side.implicit and side.type == INT for side in (add.left, add.right))


def test_two_dimensional_parameters_keep_their_sizes():
    k = load_kernel("void g(int n, int m, double A[n][m], double *r) {"
                    " for (int i = 0; i < n; i++) { r[i] = 0; for (int j = 0; j < m; j++) r[i] += A[i][j]; } }")
    t = k.params[2].type
    assert isinstance(t, A.Array) and isinstance(t.elem, A.Array) and t.elem.elem == A.Scalar("double")
    assert (t.size.name, t.elem.size.name) == ("n", "m")


def test_macros_and_globals_a_kernel_uses():
    k = load_kernel("#define N 8\nint T[N];\nvoid h(int *q) { for (int i = 0; i < N; i++) q[i] = T[i]; }")
    assert k.macros["N"].value == 8 and k.macros["N"].line == 1 and not k.macros["N"].system
    assert list(k.globals) == ["T"] and isinstance(k.globals["T"].type, A.Array)
    loop = k.function.body.items[0]
    assert loop.cond.right.value == 8 and loop.cond.right.macro == "N"     # the literal remembers its macro
    assert loop.body.expr.value.base.scope == "global"


def test_which_functions_are_kernels():
    unit = parse("static int twice(int x) { return x * 2; }\n"
                 "void f(int n, int *y) { for (int i = 0; i < n; i++) y[i] = twice(i); }\n"
                 "int main(void) { return 0; }")
    assert unit.functions() == ["twice", "f", "main"]
    assert unit.candidates() == ["f"]                  # main is no kernel; twice is f's helper
    assert set(unit.kernel("f").functions) == {"f", "twice"}


def test_cpp_vectors_references_and_range_for():
    k = load_kernel("#include <vector>\n"
                    "float dot(const std::vector<float>& a, const std::vector<float>& b) {\n"
                    "    float s = 0;\n"
                    "    for (int i = 0; i < (int)a.size(); i++) s += a[i] * b[i];\n"
                    "    for (float v : a) s += v;\n"
                    "    return s;\n}", language="c++")
    assert k.language == "c++" and k.returns == FLOAT
    assert [p.type for p in k.params] == [A.Ref(A.Vector(FLOAT))] * 2
    counted, ranged = k.function.body.items[1:3]
    size = counted.cond.right
    while isinstance(size, A.Cast):
        size = size.expr
    assert isinstance(size, A.Method) and size.method == "size" and size.obj.name == "a"
    assert ranged.over.name == "a" and ranged.cond is None and ranged.init.name == "v"


@pytest.mark.parametrize("source, error, message", [
    ("void bad(int n, int *y) { for (int i = 0; i < n; i++) y[i] = ; }", TensorliftError,
     r"^C parse error: input\.c:1:\d+: expected expression"),
    ("void a(int *y) { y[0] = 1; }\nvoid b(int *y) { y[0] = 2; }", TensorliftError,
     r"2 functions to choose from \(a, b\); name one with --function"),
    ("void a(int *y) { goto end; end: y[0] = 1; }", UnsupportedConstruct, r"goto at line 1"),
])
def test_what_it_cannot_read_is_one_line_naming_it(source, error, message):
    with pytest.raises(error, match=message) as e:
        load_kernel(source)
    assert "\n" not in str(e.value)


def test_the_compiler_follows_cc_and_cxx_and_says_when_there_is_none(monkeypatch, tmp_path):
    monkeypatch.setenv("CC", "no-such-compiler")               # not on PATH: the usual names next
    assert find_compiler(False) == "cc"
    monkeypatch.setenv("CXX", "gcc -x c++")                    # a command with its options
    assert find_compiler(True) == "gcc -x c++"
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(TensorliftError, match=r"^no C\+\+ compiler found \(set CXX or install g\+\+\)$"):
        find_compiler(True)
