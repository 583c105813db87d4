"""Regions (issue 19): the kernels inside real functions, found, outlined and lifted.

In-process tests of each piece on files written in the styles the issue names
(tests/data/regions): a loop-benchmark suite's timing functions over `extern` global arrays
(tsvc/), a transformer's forward pass over struct fields with per-head slices (infer/), a
two-file project with a compile database (project/), PolyBench's doitgen (doitgen.c). The
end-to-end runs against the compiled programs are in test_regions_programs.py.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from tensorlift.c import ast as A
from tensorlift.c.analysis import analyze_kernel
from tensorlift.c.flags import BuildFlags
from tensorlift.c.frontend import parse
from tensorlift.c.offsets import find_windows
from tensorlift.c.outline import outline, region_kernel
from tensorlift.c.project import project_of
from tensorlift.c.regions import find_regions, region_by_lines
from tensorlift.c.roles import analyse_flows, scalar_roles
from tensorlift.c.slots import flatten
from tensorlift.errors import TensorliftError, UnsupportedConstruct
from tensorlift.units import first_units, follow_ups, split_name, unit_name

DATA = Path(__file__).parent / "data" / "regions"
TSVC = DATA / "tsvc" / "loops.c"
INFER = DATA / "infer" / "infer.c"


def tree(unit, function):
    """{region name: [names of the nests inside it]} of a function."""
    out, todo = {}, find_regions(unit, function)
    while todo:
        r = todo.pop(0)
        out[r.name] = [c.name for c in r.children]
        todo += r.children
    return out


def params(kernel):
    return [(p.name, type(p.type).__name__) for p in kernel.params]


# ---------------------------------------------------------------- finding regions


def test_the_timing_loop_is_not_part_of_the_region():
    unit = parse(TSVC)
    assert tree(unit, "add_one") == {"add_one:11-13": []}          # the nl loop calls dummy()
    assert tree(unit, "matvec_rows") == {"matvec_rows:55-59": ["matvec_rows:56-58"], "matvec_rows:56-58": []}
    assert tree(unit, "main") == {}                                 # calls only
    # a timing function takes a struct with a pointer in it: it is tried whole, and when that
    # stops at a call tensorlift does not model, its regions are next
    assert [fn for fn, region, _ in first_units(unit)] == ["add_one", "triad", "sum_reduce", "matvec_rows",
                                                           "scaled_copy"]
    assert all(region is None for _, region, _ in first_units(unit))
    assert follow_ups(unit, "matvec_rows", None) == [("matvec_rows", "55-59", 55)]
    assert follow_ups(unit, "matvec_rows", "55-59") == [("matvec_rows", "56-58", 56)]


def test_forward_pass_regions_nest_and_kernels_are_lifted_whole():
    unit = parse(INFER)
    t = tree(unit, "forward")
    assert t["forward:101-182"] == ["forward:113-127", "forward:130-154", "forward:159-161", "forward:169-174",
                                    "forward:179-181"]
    assert t["forward:130-154"] == ["forward:133-141", "forward:147-153"]     # score and mix loops per head
    firsts = first_units(unit)
    assert firsts == [("rmsnorm", None, 49), ("softmax", None, 62), ("matmul", None, 79), ("forward", None, 90),
                      ("sample_argmax", None, 189)]          # main takes no arrays and holds no loop
    # forward also calls helpers around its layer loop: that loop is next, then what is inside it
    assert [r for _, r, _ in follow_ups(unit, "forward", None)] == ["101-182"]
    assert [r for _, r, _ in follow_ups(unit, "forward", "130-154")] == ["133-141", "147-153"]
    # a kernel whose whole body is one nest goes straight to the nests inside it
    assert [r for _, r, _ in follow_ups(unit, "matmul", None)] == ["83-85"]


def test_region_names():
    assert split_name("forward:120-131") == ("forward", "120-131")
    assert split_name("forward") == ("forward", None)
    assert split_name("ns::f") == ("ns::f", None)
    assert unit_name("forward", "120-131") == "forward:120-131" and unit_name("f", None) == "f"
    unit = parse(TSVC)
    assert region_by_lines(unit, "matvec_rows", "56-58").name == "matvec_rows:56-58"
    assert region_by_lines(unit, "matvec_rows", "1-2") is None
    with pytest.raises(TensorliftError, match="no region of add_one at lines 3-4"):
        region_kernel(unit, "add_one", "3-4")


def test_loops_made_by_macros_or_touching_no_memory_are_no_regions():
    unit = parse("""
        #define FILL(a, n) for (int k = 0; k < n; k++) a[k] = 0
        int count(int n) { int c = 0; for (int i = 0; i < n; i++) c += i; return c; }
        void f(float *a, int n) { FILL(a, n); for (int i = 0; i < n; i++) { a[i] += 1; } }
    """)
    assert tree(unit, "count") == {}
    assert list(tree(unit, "f")) == ["f:4-4"]


# ---------------------------------------------------------------- outlining


def test_globals_keep_their_names_and_extern_ones_get_a_definition():
    k = region_kernel(parse(TSVC), "matvec_rows", "55-59")
    assert k.params == [] and list(k.globals) == ["c", "aa", "bb"] and "LEN_2D" in k.macros
    assert k.globals["aa"].definition == "real_t aa[LEN_2D][LEN_2D];"     # sized as the header says
    assert k.region.name == "matvec_rows:55-59" and k.name == "matvec_rows_55_59"
    assert "static void tl_region(void)" in k.region.c_text and "aa[j][i] = aa[j][i] + bb[j][i] * c[i];" in k.region.c_text


def test_scalars_in_out_and_local():
    unit = parse(TSVC)
    k = region_kernel(unit, "sum_reduce", "41-43")       # sum is read after the region: an output
    assert params(k) == [("sum", "Pointer")]
    assert "real_t sum = *tl_o_sum;" in k.region.c_text and "*tl_o_sum = sum;" in k.region.c_text
    k = region_kernel(unit, "scaled_copy", "73-75")      # `int i;` at the top: set first, dead after
    assert params(k) == [("s", "Scalar")]
    assert "  int i;" in k.region.c_text


LIVENESS = """
void use(int);
void f(float *a, float *b, int n) {
    int i, j, last, counter;
    float acc = 0, scale = 2.0f;
    float *p = a;
    for (i = 0; i < n; i++) {             /* line 7 */
        acc += a[i] * scale;
        last = i;
        counter++;
    }
    use(last);
    j = 0;
    if (n > 3) counter = 0;
    use(counter);
    for (i = 0; i < n; i++) { *p = b[i]; p++; }   /* line 16 */
    use(i + j + (int)acc);
}
"""


def test_liveness_after_the_region():
    unit = parse(LIVENESS)
    k = region_kernel(unit, "f", "7-11")
    kinds = dict(params(k))
    # acc and last are read after; counter too (set again only under a condition); i is set
    # again before it is read, so it is the region's own
    assert kinds == {"a": "Pointer", "n": "Scalar", "last": "Pointer", "counter": "Pointer", "acc": "Pointer",
                     "scale": "Scalar"}
    assert "  int i;" in k.region.c_text
    # the second loop moves p, which nothing reads after it: a copy of its own
    k = region_kernel(unit, "f", "16-16")
    assert dict(params(k)) == {"b": "Pointer", "n": "Scalar", "i": "Pointer", "p": "Pointer"}


def test_a_pointer_moved_and_used_after_the_region_is_refused():
    unit = parse("""
        void f(float *a, int n) {
            float *p = a;
            for (int i = 0; i < n; i++) { *p = 0; p++; }
            *p = 1;
        }""")
    with pytest.raises(UnsupportedConstruct, match="moves the pointer 'p'"):
        region_kernel(unit, "f", "4-4")


def test_struct_fields_keep_their_paths():
    unit = parse(INFER)
    k = region_kernel(unit, "forward", "169-174")
    assert params(k) == [("s", "Pointer"), ("hidden_dim", "Scalar")]
    names = [s.name for s in flatten(k)]
    assert names == ["s.hb", "s.hb2", "hidden_dim"]


def test_regions_of_cpp_files_are_refused_by_name():
    unit = parse("void f(float *a, int n) { for (int i = 0; i < n; i++) a[i] = 1; }\n", language="c++")
    with pytest.raises(UnsupportedConstruct, match="C\\+\\+ function"):
        outline(unit, find_regions(unit, "f")[0])


# ---------------------------------------------------------------- offsets


def windows(kernel):
    slots = flatten(kernel)
    return find_windows(kernel, slots, scalar_roles(slots, analyse_flows(kernel, slots)))


def test_per_head_slices_are_windows_at_offsets():
    k = region_kernel(parse(INFER), "forward", "133-141")
    w = windows(k)
    assert w.scalars == {"loff", "h", "kv_mul"}               # head_size sizes a loop, kv_dim strides
    assert str(w.bases["s.key_cache"]) == "loff + (h / kv_mul) * head_size"
    a = analyze_kernel(k)
    key = a.signature.param("s.key_cache")
    assert key.shape == ["pos+1", "head_size"] and key.offset == "loff + (h / kv_mul) * head_size"
    assert {p.name: p.role for p in a.signature.params if p.kind == "scalar"} == {
        "pos": "dimension", "kv_dim": "stride", "kv_mul": "offset", "head_size": "dimension", "loff": "offset",
        "h": "offset"}
    # the window's start evaluates as C does; offsets that divide start at 1, the others at 0
    assert a.layouts["s.key_cache"].base.eval({"loff": 100, "h": 5, "kv_mul": 2, "head_size": 4}) == 108
    sizes = a.sizes({d: 1 for d in a.free_dims})
    assert sizes["kv_mul"] == 1 and sizes["h"] == 0 and sizes["loff"] == 0 and sizes["pos"] == 1


def test_a_product_over_a_sum_is_split_into_terms():
    unit = parse("""
        void rows(int f, int h, int w, const float *src, float *out) {
            for (int y = 0; y < h; y++)
                for (int x = 0; x < w; x++)
                    out[(f * h + y) * w + x] = src[y * w + x];
        }""")
    w = windows(unit.kernel("rows"))
    assert w.scalars == {"f"} and str(w.bases["out"]) == "f * h * w"


def test_arrays_without_offsets_are_left_as_they_were():
    unit = parse("void rev(int n, const float *x, float *y) { for (int i = 0; i < n; i++) y[i] = x[n - 1 - i]; }")
    w = windows(unit.kernel("rev"))
    assert w.scalars == set() and w.bases == {}


# ---------------------------------------------------------------- the project


def test_calls_into_another_file_are_followed_with_its_own_flags(tmp_path):
    root = copy_project(tmp_path)
    path = root / "src" / "image.c"
    build = BuildFlags(build_dir=str(root))
    unit = parse(path, build.for_file(path), None, project_of(path, build))
    k = unit.kernel("crossfade")
    assert set(k.functions) == {"crossfade", "mix", "clamp01"}
    assert k.sources == [(str(root / "src" / "blend.c"), [f"-I{root / 'include'}", "-DBLEND_BIAS=0.25f"])]
    bias = [n for n in A.walk(k.functions["mix"].body) if isinstance(n, A.Lit) and n.value == 0.25]
    assert bias                                             # the helper's own -D, as its build has it
    with pytest.raises(UnsupportedConstruct, match="call of 'mix'"):
        parse(path, build.for_file(path)).kernel("crossfade")     # without the project: not followed


def copy_project(tmp_path: Path) -> Path:
    """The two-file project under tmp_path, with its compile_commands.json."""
    import json
    import shutil
    root = tmp_path / "proj"
    shutil.copytree(DATA / "project", root)
    (root / "compile_commands.json").write_text(json.dumps([
        {"directory": str(root), "file": "src/image.c", "command": "cc -Iinclude -O2 -c src/image.c -o image.o"},
        {"directory": str(root), "file": "src/blend.c",
         "arguments": ["cc", "-Iinclude", "-DBLEND_BIAS=0.25f", "-O2", "-c", "src/blend.c", "-o", "blend.o"]},
    ]))
    return root


def test_the_sizes_of_an_array_input_are_inputs_too():
    unit = parse("""
        #include <stdio.h>
        void k(int n, int m, double A[n][m], double *x) {
            printf("x");
            for (int i = 0; i < n; i++) A[i][0] = x[i];
        }""")
    k = region_kernel(unit, "k", "5-5")
    assert params(k) == [("n", "Scalar"), ("m", "Scalar"), ("A", "Pointer"), ("x", "Pointer")]
    assert "static void tl_region(int n, int m, double (*A)[m], double * x)" in k.region.c_text


def test_which_units_give_way_to_their_regions():
    from tensorlift.c.interp import NeverDefined
    from tensorlift.errors import KernelRunError
    from tensorlift.units import splits
    assert splits(UnsupportedConstruct("assignment to a struct field"))       # not one tensor program
    assert splits(NeverDefined("the C is undefined on every input tried at sizes {...}"))   # the sizes' fault
    assert not splits(KernelRunError("the kernel crashed (SIGSEGV)"))         # broken as a whole
