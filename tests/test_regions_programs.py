"""Regions of whole programs (issue 19), end to end through the CLI: what `lift` and `bench`
print, and the emitted code of every lifted region and function run against the real
program, compiled with a driver this test writes, at sizes this test picks.

- a loop-benchmark suite (tests/data/regions/tsvc): each timing function is run as the
  suite runs it (its repetition loop, its opaque calls stubbed) and the arrays it leaves
  must be what the region's emitted NumPy function computes;
- an inference program (tests/data/regions/infer): its forward pass is run for several
  positions, and must give the logits of a forward pass assembled from the lifted pieces
  (the helpers lifted whole, the inline loops lifted as regions, the rotary embedding, which
  tensorlift does not lift, written here);
- PolyBench's doitgen with its scratch row, a two-file project through
  compile_commands.json, an attention loop calling the file's softmax, per-head offsets.
"""
from __future__ import annotations

import inspect
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from helpers import cli
from test_regions import copy_project

DATA = Path(__file__).parent / "data" / "regions"
pytestmark = pytest.mark.slow


def records(proc) -> dict:
    """The CLI's JSON lines, by unit name (`function` or `function:START-END`)."""
    out = {}
    for line in proc.stdout.splitlines():
        rec = json.loads(line)
        out[rec["function"] + (f":{rec['region']}" if rec["region"] else "")] = rec
    return out


def function_of(rec: dict):
    """The emitted NumPy function of a record."""
    ns: dict = {}
    exec(compile(rec["code"]["numpy"], "<emitted>", "exec"), ns)
    name = rec["function"] + (f"_{rec['region'].replace('-', '_')}" if rec["region"] else "")
    return ns[name]


def call(fn, **values):
    """The emitted function called with the arguments it takes, by name (None for an output
    it only writes)."""
    params = inspect.signature(fn).parameters.values()
    return fn(**{p.name: values.get(p.name) for p in params if p.name in values or p.default is p.empty})


def compile_driver(tmp_path: Path, source: str, *flags: str) -> Path:
    exe = tmp_path / "driver"
    (tmp_path / "driver.c").write_text(source)
    subprocess.run(["cc", "-O1", "-o", str(exe), str(tmp_path / "driver.c"), *flags, "-lm"], check=True,
                   capture_output=True, text=True)
    return exe


# ---------------------------------------------------------------- a loop-benchmark suite

TSVC_DRIVER = r"""
#define main tsvc_main
#include "loops.c"
#undef main
#include <string.h>
real_t a[LEN_1D], b[LEN_1D], c[LEN_1D], d[LEN_1D], e[LEN_1D];
real_t aa[LEN_2D][LEN_2D], bb[LEN_2D][LEN_2D], cc[LEN_2D][LEN_2D];
int iterations = LEN_2D;
void initialise_arrays(const char *name) { (void)name; }
real_t calc_checksum(const char *name) { (void)name; return 0; }
int dummy(real_t x1[LEN_1D], real_t x2[LEN_1D], real_t x3[LEN_1D], real_t x4[LEN_1D], real_t x5[LEN_1D],
          real_t y1[LEN_2D][LEN_2D], real_t y2[LEN_2D][LEN_2D], real_t y3[LEN_2D][LEN_2D], real_t s) { return 0; }
int main(int argc, char **argv) {
    FILE *in = fopen(argv[1], "rb"), *out = fopen(argv[3], "wb");
    real_t *all[] = {a, b, c, d, e, &aa[0][0], &bb[0][0], &cc[0][0]};
    size_t n[] = {LEN_1D, LEN_1D, LEN_1D, LEN_1D, LEN_1D, LEN_2D * LEN_2D, LEN_2D * LEN_2D, LEN_2D * LEN_2D};
    for (int k = 0; k < 8; k++) if (fread(all[k], sizeof(real_t), n[k], in) != n[k]) return 2;
    struct args_t args;
    real_t r = 0;
    if (!strcmp(argv[2], "add_one")) r = add_one(&args);
    if (!strcmp(argv[2], "triad")) r = triad(&args);
    if (!strcmp(argv[2], "sum_reduce")) r = sum_reduce(&args);
    if (!strcmp(argv[2], "matvec_rows")) r = matvec_rows(&args);
    if (!strcmp(argv[2], "scaled_copy")) r = scaled_copy(&args);
    for (int k = 0; k < 8; k++) fwrite(all[k], sizeof(real_t), n[k], out);
    fwrite(&r, sizeof r, 1, out);
    return 0;
}
"""
TSVC_ARRAYS = ["a", "b", "c", "d", "e", "aa", "bb", "cc"]


def test_timing_functions_regions_against_the_suite(tmp_path):
    src = tmp_path / "tsvc"
    shutil.copytree(DATA / "tsvc", src)
    header = (src / "common.h").read_text()
    n1, n2 = 1000, 24                      # sizes of this test's build of the suite
    (src / "common.h").write_text(header.replace("LEN_1D 32000", f"LEN_1D {n1}").replace("LEN_2D 256", f"LEN_2D {n2}"))
    proc = cli("lift", src / "loops.c", "--json", "--target", "numpy")
    recs = records(proc)
    regions = {n: r for n, r in recs.items() if r["region"]}
    assert set(regions) == {"add_one:11-13", "triad:25-27", "sum_reduce:41-43", "matvec_rows:55-59",
                            "scaled_copy:73-75"}
    for name, rec in regions.items():
        assert rec["status"] == "lifted" and rec["verification"] == "proved", (name, rec)
        assert rec["verification_scope"] == "all-sizes"
    # the timing functions themselves are no kernels: each says why, and the exit code does too
    assert {n for n in recs if n not in regions} == {"add_one", "triad", "sum_reduce", "matvec_rows", "scaled_copy"}
    assert all("call of 'initialise_arrays'" in recs[n]["error"] for n in recs if n not in regions)
    assert proc.returncode == 1
    assert recs["sum_reduce:41-43"]["program"] == "sum += a(i)"
    assert recs["matvec_rows:55-59"]["program"] == "aa(i,j) += bb(i,j) * c(j)"
    assert recs["add_one:11-13"]["function"] == "add_one" and recs["add_one:11-13"]["region"] == "11-13"

    exe = compile_driver(src, TSVC_DRIVER, f"-I{src}")
    rng = np.random.default_rng(19)
    shapes = {n: (n1,) for n in "abcde"} | {n: (n2, n2) for n in ("aa", "bb", "cc")}
    outputs = {"add_one:11-13": "a", "triad:25-27": "a", "sum_reduce:41-43": None, "matvec_rows:55-59": "aa",
               "scaled_copy:73-75": "e"}
    for name, out in outputs.items():
        arrays = {n: rng.uniform(-2, 2, size=shapes[n]).astype(np.float32) for n in TSVC_ARRAYS}
        (src / "in.bin").write_bytes(b"".join(arrays[n].tobytes() for n in TSVC_ARRAYS))
        subprocess.run([str(exe), str(src / "in.bin"), name.split(":")[0], str(src / "out.bin")], check=True)
        raw = np.fromfile(src / "out.bin", dtype=np.float32)
        after, pos = {}, 0
        for n in TSVC_ARRAYS:
            size = int(np.prod(shapes[n]))
            after[n], pos = raw[pos:pos + size].reshape(shapes[n]), pos + size
        given = dict(arrays, c=arrays["c"][:n2] if out == "aa" else arrays["c"])    # the part the region reads
        got = call(function_of(recs[name]), **given, sum=np.float32(0), s=2.5, LEN_1D=n1, LEN_2D=n2)
        if out is None:                     # the returned sum: the region's scalar output
            assert np.isclose(got, raw[pos], rtol=1e-4), (got, raw[pos])
        else:
            assert np.allclose(got, after[out], rtol=1e-5, atol=1e-5), name


# ---------------------------------------------------------------- an inference program

INFER_DRIVER = r"""
#define main infer_main
#include "infer.c"
#undef main
static float *take(FILE *f, size_t n) {
    float *p = calloc(n, sizeof(float));
    if (fread(p, sizeof(float), n, f) != n) exit(2);
    return p;
}
int main(int argc, char **argv) {
    FILE *in = fopen(argv[1], "rb"), *out = fopen(argv[2], "wb");
    Config c;
    int steps, tokens[64];
    if (fread(&c, sizeof(int), 7, in) != 7 || fread(&steps, sizeof(int), 1, in) != 1) return 2;
    if (fread(tokens, sizeof(int), steps, in) != (size_t)steps) return 2;
    int dim = c.dim, hid = c.hidden_dim, L = c.n_layers, kv_dim = c.dim * c.n_kv_heads / c.n_heads;
    Weights w;
    w.token_embedding_table = take(in, (size_t)c.vocab_size * dim);
    w.rms_att_weight = take(in, (size_t)L * dim);
    w.rms_ffn_weight = take(in, (size_t)L * dim);
    w.wq = take(in, (size_t)L * dim * dim);
    w.wk = take(in, (size_t)L * dim * kv_dim);
    w.wv = take(in, (size_t)L * dim * kv_dim);
    w.wo = take(in, (size_t)L * dim * dim);
    w.w1 = take(in, (size_t)L * dim * hid);
    w.w2 = take(in, (size_t)L * dim * hid);
    w.w3 = take(in, (size_t)L * dim * hid);
    w.rms_final_weight = take(in, dim);
    w.wcls = take(in, (size_t)c.vocab_size * dim);
    RunState s;
    s.x = calloc(dim, 4); s.xb = calloc(dim, 4); s.xb2 = calloc(dim, 4);
    s.hb = calloc(hid, 4); s.hb2 = calloc(hid, 4); s.q = calloc(dim, 4);
    s.att = calloc((size_t)c.n_heads * c.seq_len, 4); s.logits = calloc(c.vocab_size, 4);
    s.key_cache = calloc((size_t)L * c.seq_len * kv_dim, 4);
    s.value_cache = calloc((size_t)L * c.seq_len * kv_dim, 4);
    for (int pos = 0; pos < steps; pos++)
        fwrite(forward(&c, &w, &s, tokens[pos], pos), sizeof(float), c.vocab_size, out);
    return 0;
}
"""
WEIGHTS = ["emb", "rms_att", "rms_ffn", "wq", "wk", "wv", "wo", "w1", "w2", "w3", "rms_final", "wcls"]


def test_forward_pass_from_lifted_regions_against_the_program(tmp_path):
    proc = cli("lift", DATA / "infer" / "infer.c", "--json", "--target", "numpy", "--timeout", "60", timeout=900)
    recs = records(proc)
    lifted = {n for n, r in recs.items() if r["status"] == "lifted"}
    pieces = {"rmsnorm", "softmax", "matmul", "forward:133-141", "forward:147-153", "forward:159-161",
              "forward:169-174", "forward:179-181"}
    assert pieces <= lifted, {n: recs.get(n, {}).get("error") or recs.get(n, {}).get("searched") for n in pieces}
    # the forward pass itself and its layer loop are no single tensor program: regions stand for them
    assert recs["forward"]["status"] != "lifted" and recs["forward:101-182"]["status"] != "lifted"
    assert "s.key_cache(i,j)" in recs["forward:133-141"]["program"]      # the head's window of the cache
    for n in ("forward:159-161", "forward:169-174", "forward:179-181"):
        assert recs[n]["verification"] == "proved" and recs[n]["verification_scope"] == "all-sizes"
    assert all(recs[n]["verification"] == "proved" for n in pieces)
    fn = {n: function_of(recs[n]) for n in pieces}

    cfg = dict(dim=16, hidden_dim=24, n_layers=2, n_heads=4, n_kv_heads=2, vocab_size=11, seq_len=6)
    dim, hid, L, nh, nkv, vocab, seq = cfg.values()
    kv_dim, kv_mul, hs = dim * nkv // nh, nh // nkv, dim // nh
    rng = np.random.default_rng(7)
    sizes = {"emb": vocab * dim, "rms_att": L * dim, "rms_ffn": L * dim, "wq": L * dim * dim,
             "wk": L * dim * kv_dim, "wv": L * dim * kv_dim, "wo": L * dim * dim, "w1": L * dim * hid,
             "w2": L * dim * hid, "w3": L * dim * hid, "rms_final": dim, "wcls": vocab * dim}
    w = {k: rng.uniform(-0.5, 0.5, sizes[k]).astype(np.float32) for k in WEIGHTS}
    tokens = [3, 7, 1, 9, 4]
    blob = np.array(list(cfg.values()) + [len(tokens)] + tokens, dtype=np.int32).tobytes()
    (tmp_path / "in.bin").write_bytes(blob + b"".join(w[k].tobytes() for k in WEIGHTS))
    exe = compile_driver(tmp_path, INFER_DRIVER, f"-I{DATA / 'infer'}")
    subprocess.run([str(exe), str(tmp_path / "in.bin"), str(tmp_path / "out.bin")], check=True)
    want = np.fromfile(tmp_path / "out.bin", dtype=np.float32).reshape(len(tokens), vocab)

    key_cache = np.zeros(L * seq * kv_dim, dtype=np.float32)
    value_cache = np.zeros_like(key_cache)

    def matmul(x, wm, n, d):
        return call(fn["matmul"], xout=None, x=x, w=wm, n=n, d=d)

    def rmsnorm(x, weight):
        return call(fn["rmsnorm"], o=None, x=x, weight=weight, size=dim)

    def window(cache, base, rows):          # a head's rows of a layer's cache: what the region reads
        return np.stack([cache[base + t * kv_dim: base + t * kv_dim + hs] for t in range(rows)])

    for pos, token in enumerate(tokens):
        x = w["emb"][token * dim:(token + 1) * dim].astype(np.float64)
        for layer in range(L):
            xb = rmsnorm(x, w["rms_att"][layer * dim:(layer + 1) * dim])
            loff = layer * seq * kv_dim
            q = matmul(xb, w["wq"][layer * dim * dim:(layer + 1) * dim * dim], dim, dim).astype(np.float64)
            k = matmul(xb, w["wk"][layer * dim * kv_dim:(layer + 1) * dim * kv_dim], dim, kv_dim).astype(np.float64)
            v = matmul(xb, w["wv"][layer * dim * kv_dim:(layer + 1) * dim * kv_dim], dim, kv_dim)
            for i in range(0, dim, 2):          # the rotary embedding, which tensorlift does not lift
                angle = pos / np.float32(10000.0) ** np.float32((i % hs) / np.float32(hs))
                fcr, fci = np.cos(angle), np.sin(angle)
                for vec in ([q, k] if i < kv_dim else [q]):
                    v0, v1 = vec[i], vec[i + 1]
                    vec[i], vec[i + 1] = v0 * fcr - v1 * fci, v0 * fci + v1 * fcr
            key_cache[loff + pos * kv_dim:loff + (pos + 1) * kv_dim] = k
            value_cache[loff + pos * kv_dim:loff + (pos + 1) * kv_dim] = v
            xb = np.zeros(dim)
            for h in range(nh):
                base = loff + (h // kv_mul) * hs
                att = call(fn["forward:133-141"], s_key_cache=window(key_cache, base, pos + 1), q=q[h * hs:(h + 1) * hs],
                           pos=pos, kv_dim=kv_dim, kv_mul=kv_mul, head_size=hs, loff=loff, h=h)
                att = call(fn["softmax"], x=att, size=pos + 1)
                xb[h * hs:(h + 1) * hs] = call(fn["forward:147-153"], xb=np.zeros(hs), att=att, pos=pos,
                                               s_value_cache=window(value_cache, base, pos + 1), kv_dim=kv_dim,
                                               kv_mul=kv_mul, head_size=hs, loff=loff, h=h)
            xb2 = matmul(xb, w["wo"][layer * dim * dim:(layer + 1) * dim * dim], dim, dim)
            x = call(fn["forward:159-161"], x=x, s_xb2=xb2, dim=dim)
            xb = rmsnorm(x, w["rms_ffn"][layer * dim:(layer + 1) * dim])
            hb = matmul(xb, w["w1"][layer * dim * hid:(layer + 1) * dim * hid], dim, hid)
            hb2 = matmul(xb, w["w3"][layer * dim * hid:(layer + 1) * dim * hid], dim, hid)
            hb = call(fn["forward:169-174"], s_hb=hb, s_hb2=hb2, hidden_dim=hid)
            xb = matmul(hb, w["w2"][layer * dim * hid:(layer + 1) * dim * hid], hid, dim)
            x = call(fn["forward:179-181"], x=x, s_xb=xb, dim=dim)
        logits = matmul(rmsnorm(x, w["rms_final"]), w["wcls"], dim, vocab)
        assert np.allclose(logits, want[pos], rtol=1e-3, atol=1e-4), (pos, logits, want[pos])


# ---------------------------------------------------------------- doitgen's scratch row

DOITGEN_DRIVER = r"""
#define main polybench_main
#include "doitgen.c"
#undef main
int main(int argc, char **argv) {
    static DATA_TYPE A[NR][NQ][NP], C4[NP][NP], sum[NP];
    FILE *in = fopen(argv[1], "rb"), *out = fopen(argv[2], "wb");
    if (fread(A, sizeof A, 1, in) != 1 || fread(C4, sizeof C4, 1, in) != 1) return 2;
    kernel_doitgen(NR, NQ, NP, A, C4, sum);
    fwrite(A, sizeof A, 1, out);
    fwrite(sum, sizeof sum, 1, out);
    return 0;
}
"""


def test_doitgen_scratch_row_against_the_program(tmp_path):
    nr, nq, np_ = 5, 4, 7
    flags = [f"-DNR={nr}", f"-DNQ={nq}", f"-DNP={np_}"]
    proc = cli("lift", DATA / "doitgen.c", "--function", "kernel_doitgen", "--json", "--target", "numpy", *flags)
    assert proc.returncode == 0, proc.stderr
    rec = records(proc)["kernel_doitgen"]
    # sum is no recurrence: each (r, q) fills it and copies it out; what it holds after is
    # the last pair's row, read off A before A is overwritten
    assert rec["program"] == "sum(i) = A(nr-1,nq-1,j) * C4(j,i); A(i,j,k) = A(i,j,l) * C4(l,k)"
    assert rec["verification"] == "proved"
    rng = np.random.default_rng(3)
    a, c4 = rng.uniform(-1, 1, (nr, nq, np_)), rng.uniform(-1, 1, (np_, np_))
    (tmp_path / "in.bin").write_bytes(a.tobytes() + c4.tobytes())
    exe = compile_driver(tmp_path, DOITGEN_DRIVER, f"-I{DATA}", *flags)
    subprocess.run([str(exe), str(tmp_path / "in.bin"), str(tmp_path / "out.bin")], check=True)
    raw = np.fromfile(tmp_path / "out.bin")
    got_a, got_sum = call(function_of(rec), nr=nr, nq=nq, np_2=np_, A=a, C4=c4, sum=None)
    assert np.allclose(got_a, raw[:a.size].reshape(a.shape)) and np.allclose(got_sum, raw[a.size:])


# ---------------------------------------------------------------- a two-file project


def test_project_through_compile_commands(tmp_path):
    root = copy_project(tmp_path)
    proc = cli("lift", root / "src" / "image.c", "-p", root, "--json")
    recs = records(proc)
    # the frame loop prints: the nest inside it is the region
    assert set(recs) == {"crossfade", "fade_frames", "fade_frames:14-18"} and "printf" in recs["fade_frames"]["error"]
    for name in ("crossfade", "fade_frames:14-18"):
        assert recs[name]["status"] == "lifted" and recs[name]["verification"] == "proved"
        assert "t + 0.25" in recs[name]["program"]              # mix() as blend.c's own flags build it
    # the helper's file given on the command line instead, with the flags given there
    (root / "compile_commands.json").unlink()
    proc = cli("lift", root / "src" / "image.c", root / "src" / "blend.c", "-I", root / "include",
               "-DBLEND_BIAS=0.5f", "--function", "crossfade", "--json")
    assert proc.returncode == 0, proc.stderr
    assert "t + 0.5" in records(proc)["crossfade"]["program"]
    # without the project, the call is the one line that says what is missing
    alone = cli("lift", root / "src" / "image.c", "-I", root / "include", "--function", "crossfade")
    assert alone.returncode == 2 and "call of 'mix'" in alone.stderr


def test_bench_over_a_project_groups_by_file_and_function(tmp_path):
    root = copy_project(tmp_path)
    (root / "src" / "extra.c").write_text(
        "#include <stdio.h>\nvoid tick(int n, float *y) {\n  for (int k = 0; k < 3; k++) {\n"
        "    for (int i = 0; i < n; i++) y[i] = 2 * y[i];\n    puts(\"tick\");\n  }\n}\n")
    env_report = tmp_path / "r.json"
    proc = subprocess.run([sys.executable, "-m", "tensorlift", "bench", root / "src", "-p", root, "--jobs", "2",
                           "--timeout", "60", "--report", env_report, "--report", tmp_path / "r.html"],
                          capture_output=True, text=True, timeout=600, cwd=Path(__file__).parent.parent)
    assert proc.returncode == 0, proc.stderr
    recs = json.loads(env_report.read_text())
    got = [(Path(r["file"]).name, r["function"], r["region"], r["status"]) for r in recs]
    # tick is tried whole (it takes an array), then its region, right after it
    assert got == [("extra.c", "tick", None, "error"), ("extra.c", "tick", "4-4", "lifted"),
                   ("image.c", "crossfade", None, "lifted"), ("image.c", "fade_frames", None, "error"),
                   ("image.c", "fade_frames", "14-18", "lifted")]
    assert re.search(r"image\.c:fade_frames:14-18", proc.stderr)
    page = (tmp_path / "r.html").read_text()
    assert "fade_frames:14-18" in page


# ---------------------------------------------------------------- calls and offsets


def test_an_attention_loop_calling_the_files_softmax_is_one_region():
    proc = cli("lift", DATA / "attend.c", "--function", "attend", "--json", "--target", "numpy")
    assert "call of 'printf'" in records(proc)["attend"]["error"]
    rec = records(proc)["attend:14-17"]
    assert rec["status"] == "lifted", rec
    assert rec["program"] == ("att(i,j) = exp(scores(i,j) * 0.5 - max(k, scores(i,k) * 0.5)) / "
                              "sum(l, exp(scores(i,l) * 0.5 - max(k, scores(i,k) * 0.5)))")
    assert '"""attend_14_17 (the region attend:14-17)' in rec["code"]["numpy"]
    assert "(the variable scores of attend)" in rec["code"]["numpy"]


def test_offsets_made_of_scalars_are_windows_and_proved():
    proc = cli("lift", DATA / "heads.c", "--json", "--target", "numpy")
    rec = records(proc)["head_scores"]
    assert rec["program"] == "att(i) = q(j) * key_cache(i,j)" and rec["verification"] == "proved"
    code = rec["code"]["numpy"]
    assert "key_cache: float32[n_pos, head_size], the window of the C's buffer that starts at element " \
           "loff + (h / kv_mul) * head_size" in code
    assert "q: float32[head_size], the window of the C's buffer that starts at element h * head_size" in code
    analyzed = cli("analyze", DATA / "heads.c", "--examples", "0")
    assert re.search(r"key_cache\s+array\s+float\s+read\s+shape \[n_pos, head_size\] from element loff \+ "
                     r"\(h / kv_mul\) \* head_size", analyzed.stdout)
    assert re.search(r"\bh\s+scalar int\s+offset", analyzed.stdout)
