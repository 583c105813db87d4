"""Real data layouts (issue 18): matrix structs, node graphs, interleaved complex numbers,
kernels read off unrolled code, refusals that take no search, inputs where the C is
undefined. Each file of tests/data/layouts is lifted once, as a user would, by the CLI."""
import functools
import json
import re
from pathlib import Path

import pytest

from helpers import cli, cli_main
from tensorlift.c.frontend import load_kernel
from tensorlift.c.nodes import normalised
from tensorlift.c.reroll import rerolled
from tensorlift.c import ast as A

DATA = Path(__file__).resolve().parent / "data" / "layouts"


@functools.lru_cache(maxsize=None)
def lifted(name: str, *flags: str) -> tuple[int, dict]:
    """Every function of a file, lifted once: (exit code, JSON result by function)."""
    proc = cli("lift", DATA / name, "--json", *flags)
    results = [json.loads(line) for line in proc.stdout.splitlines() if line.strip()]
    assert "Traceback" not in proc.stderr and "internal error" not in proc.stderr, proc.stderr
    return proc.returncode, {r["function"]: r for r in results if not r["region"]}


def assert_read_off(r: dict, program: str) -> None:
    """Lifted as `program`, proved, and read off the code (no search: at most the two forms
    of the statement read off it are tried)."""
    assert r["status"] == "lifted", r
    assert r["program"] == program
    assert r["verification"] == "proved", r["verification_reason"]
    assert r["candidates"] <= 2, r["candidates"]


@pytest.mark.slow
def test_dsp_matrix_struct_by_pointer():
    _, out = lifted("dsp_matrix.c")
    # the sizes and the data pointer in one struct: the data is the tensor, the fields its sizes
    assert_read_off(out["mat_add_f32"], "pDst.pData(i) = pSrcA.pData(i) + pSrcB.pData(i)")
    assert out["mat_vec_mult_f32"]["program"] == "pDst(i) = pSrcMat.pData(i,j) * pVec(j)"   # through row pointers
    assert out["mat_vec_mult_f32"]["verification"] == "proved"
    # a factorisation is refused at once, not searched to the time limit
    chol = out["mat_cholesky_f32"]
    assert chol["status"] != "lifted" and chol["seconds"] < 5


@pytest.mark.slow
def test_dsp_statistics_come_without_search():
    _, out = lifted("dsp_stats.c")
    assert_read_off(out["rms_f32"], "pResult = sqrt(pSrc(i) * pSrc(i) / blockSize)")
    assert_read_off(out["mse_f32"], "pResult = (pSrcA(i) - pSrcB(i)) * (pSrcA(i) - pSrcB(i)) / blockSize")
    for name in ("var_f32", "var_onepass_f32", "kullback_leibler_f32", "logsumexp_f32"):
        assert out[name]["status"] == "lifted" and out[name]["candidates"] <= 2, out[name]
        assert out[name]["verification"] == "proved", out[name]["verification_reason"]
    # an argmax whose index comes from a while loop's counter: refused at once
    mx = out["max_f32"]
    assert mx["status"] == "failed" and "loop index" in mx["searched"] and mx["seconds"] < 2


@pytest.mark.slow
def test_interleaved_complex_numbers():
    _, out = lifted("dsp_complex.c")
    assert_read_off(out["cmplx_mag_f32"], "pDst(i) = sqrt(pSrc(i,0) * pSrc(i,0) + pSrc(i,1) * pSrc(i,1))")
    assert_read_off(out["cmplx_mult_cmplx_f32"],
                    "pDst(i,j) = where(j == 1, pSrcA(i,0) * pSrcB(i,1) + pSrcA(i,1) * pSrcB(i,0), "
                    "pSrcA(i,0) * pSrcB(i,0) - pSrcA(i,1) * pSrcB(i,1))")
    dot = out["cmplx_dot_prod_f32"]
    assert dot["program"] == ("realResult = pSrcA(i,0) * pSrcB(i,0) - pSrcA(i,1) * pSrcB(i,1); "
                              "imagResult = pSrcA(i,0) * pSrcB(i,1) + pSrcA(i,1) * pSrcB(i,0)")
    assert dot["verification"] == "proved"


@pytest.mark.slow
def test_darknet_matrix_by_value_is_a_kernel_again(capfd):
    """Regressed in 251ac8f: a struct holding `float **vals` did not make a function a kernel."""
    code, out = lifted("darknet_matrix.c")
    assert code == 0
    assert out["matrix_add_matrix"]["program"] == "to.vals(i,j) += from.vals(i,j)"
    assert out["scale_matrix"]["program"] == "m.vals(i,j) = m.vals(i,j) * scale"
    proc = cli_main(capfd, "lift", DATA / "darknet_matrix.c", "--function", "scale_matrix", "--target", "numpy")
    assert proc.returncode == 0, proc.stderr
    # the emitted code takes the fields as plain arguments, and says which field each is
    assert "def scale_matrix(m_rows, m_cols, m_vals, scale):" in proc.stdout
    assert "m_rows (the C's m.rows): size (int)" in proc.stdout


@pytest.mark.slow
def test_autodiff_ops_over_node_structs(capfd):
    code, out = lifted("autodiff.c", "-U", "__SSE__")
    square = out["ad_op_square"]
    assert square["status"] == "lifted" and square["verification"] == "proved"
    programs = {c["when"]: c["program"] for c in square["cases"]}
    assert programs["action == 2"] == "p.x(i) = p.child[0].x(i) * p.child[0].x(i)"
    assert programs["action == 3"] == "p.child[0].g(i) += p.child[0].x(i) * p.g(i) + p.child[0].x(i) * p.g(i)"
    notes = {c["when"]: c.get("note") for c in square["cases"]}
    assert "shape bookkeeping" in notes["action == 4"] and "p.n_d" in notes["action == 4"]
    add = {c["when"]: c["program"] for c in out["ad_op_add"]["cases"]}
    assert add["action == 2"] == "p.x(i) = p.child[0].x(i) + p.child[1].x(i)"
    assert add["action == 3"] == "p.child[0].g(i) += p.g(i); p.child[1].g(i) += p.g(i)"
    for op in ("ad_op_exp", "ad_op_mul_scalar", "ad_op_reduce_sum"):
        assert out[op]["status"] == "lifted", out[op]
    # the text output says why the bookkeeping case has no program
    proc = cli_main(capfd, "lift", DATA / "autodiff.c", "-U", "__SSE__", "--function", "ad_op_exp", "--target", "numpy")
    assert proc.returncode == 0, proc.stderr
    assert re.search(r"when action == 4: not a tensor computation: .*shape bookkeeping", proc.stdout)
    assert "def ad_op_exp(" in proc.stdout


def test_node_aliases_and_length_helper_are_rewritten():
    k = load_kernel(DATA / "autodiff.c", "ad_op_add", ["-U__SSE__"])
    # q[0] = p->child[0] is gone, node_len(q[0]) is the size field of a rank-1 node
    names = {n.name for n in A.walk(k.function.body) if isinstance(n, A.Name)}
    assert "q" not in names
    assert k.pinned[("p", (("child", 0),), "n_d", None)] == 1
    assert k.pinned[("p", (("child", 1),), "d", 1)] == 1
    assert ("p", (("child", 0),), "d", 0) not in k.pinned
    plain = load_kernel(DATA / "dsp_stats.c", "mse_f32")
    assert normalised(plain) is plain                       # no node: nothing to rewrite


def test_unrolled_loops_roll_up():
    k = load_kernel(DATA / "dsp_stats.c", "rms_f32")
    rolled = rerolled(k)
    loops = [n for n in rolled.function.body.items if isinstance(n, A.Loop)]
    assert len(loops) == 1 and len(loops[0].body.items) == 3      # in = *p++; sum += in*in; blkCnt--
    assert len([n for n in k.function.body.items if isinstance(n, A.Loop)]) == 2   # the original is kept
    assert rerolled(load_kernel(DATA / "dsp_stats.c", "var_onepass_f32")) is None


@pytest.mark.slow
def test_examples_stay_where_the_c_is_defined():
    _, out = lifted("undefined.c")
    assert out["silu_int"]["status"] == "lifted" and out["silu_int"]["verification"] == "proved"
    assert out["div_elem"]["program"] == "out(i) = a(i) / (b(i) - 1)"
    # no internal error: 1./(n-1) is no real number at n = 1, which the bounded proof says;
    # the proof for every size covers the sizes where the divisor is not zero, as for data
    var = out["variance_cpu"]
    assert var["status"] == "lifted" and var["error"] is None
    assert (var["verification"], var["verification_scope"]) == ("proved", "all-sizes")
    reorg = out["reorg_cpu"]                # a divisor the sizes make zero: one line, exit 2
    assert reorg["status"] == "error" and "undefined on every input" in reorg["error"]


@pytest.mark.slow
def test_every_function_is_tried_and_a_lone_scalar_function_is_lifted(capfd):
    proc = cli_main(capfd, "lift", DATA / "size_check.c", "--json")
    results = {json.loads(line)["function"]: json.loads(line) for line in proc.stdout.splitlines()}
    assert results["vadd"]["status"] == "lifted"        # after whatever became of the first
    assert "Traceback" not in proc.stderr
    proc = cli_main(capfd, "lift", DATA / "scalar_only.c")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("add = b + c")


@pytest.mark.slow
def test_numpy_warnings_never_reach_the_user(capfd):
    proc = cli_main(capfd, "lift", DATA / "dsp_stats.c", "--function", "kullback_leibler_f32", "--target", "numpy")
    assert proc.returncode == 0, proc.stderr
    assert "RuntimeWarning" not in proc.stderr and proc.stderr == ""


@pytest.mark.slow
def test_cpp_blend_into_a_vector_sized_from_an_input():
    """Was an internal error (the input's size, which sizes the result, was dropped)."""
    _, out = lifted("blend.cpp")
    assert_read_off(out["normal_blend"], "normal_blend(i) = opacity * b(i) + (1.0 - opacity) * a(i)")


@pytest.mark.slow
def test_nodes_of_another_struct_and_struct_arguments_that_do_little():
    _, out = lifted("tree.c")
    assert out["leafsum"]["program"] == "out(i) = t.kids[0].v(i) + t.kids[1].v(i)"
    assert out["leafsum"]["verification"] == "proved"
    assert out["freem"]["status"] == "error" and "crashed" in out["freem"]["error"]   # it frees our buffers
    assert out["unused"]["program"] == "unused = n + 1"
