"""C++ kernels in the style of a peer tool's suite: std::vector in, tensors out."""
import json

import numpy as np
import pytest
from helpers import cli_main, cli_main_json, write_kernel

KERNELS = """
#include <vector>
#include <algorithm>
#include <cmath>
using namespace std;

vector<vector<int>> darken_blend_8(vector<vector<int>> base, vector<vector<int>> active) {
    vector<vector<int>> out;
    int m = base.size();
    int n = base[0].size();
    for (int row = 0; row < m; row++) {
        vector<int> row_vec;
        for (int col = 0; col < n; col++) {
            int pixel;
            if (base[row][col] > active[row][col]) pixel = active[row][col];
            else pixel = base[row][col];
            row_vec.push_back(pixel);
        }
        out.push_back(row_vec);
    }
    return out;
}

int dot(const vector<int>& a, const vector<int>& b) {
    int s = 0;
    for (size_t i = 0; i < a.size(); ++i) s += a[i] * b[i];
    return s;
}

vector<float> vadd(const vector<float>& a, const vector<float>& b) {
    vector<float> out(a.size());
    for (size_t i = 0; i < a.size(); i++) out[i] = a[i] + b[i];
    return out;
}

float sumsq(const vector<float>& x) {
    float s = 0;
    for (auto v : x) s += v * v;
    return s;
}

void scale(vector<float>& x, float a) {
    for (auto& v : x) v *= a;
}

vector<vector<float>> matmul(const vector<vector<float>>& A, const vector<vector<float>>& B) {
    int m = A.size(), k = B.size(), n = B[0].size();
    vector<vector<float>> C(m, vector<float>(n, 0.0f));
    for (int i = 0; i < m; i++)
        for (int j = 0; j < n; j++)
            for (int p = 0; p < k; p++) C[i][j] += A[i][p] * B[p][j];
    return C;
}
"""

EXPECTED = {
    "darken_blend_8": "darken_blend_8(i,j) = min(base(i,j), active(i,j))",
    "dot": "dot = a(i) * b(i)",
    "vadd": "vadd(i) = a(i) + b(i)",
    "sumsq": "sumsq = x(i) * x(i)",
    "scale": "x(i) = x(i) * a",
    "matmul": "matmul(i,j) = A(i,k) * B(k,j)",
}


@pytest.mark.slow
def test_every_kernel_lifts_proved_and_runs_in_every_target(tmp_path, capfd):
    k = write_kernel(tmp_path, KERNELS, "kernels.cpp")
    proc = cli_main(capfd, "lift", k, "--json", "--target", "taco,numpy,torch,jax")
    got = {r["function"]: r for r in map(json.loads, proc.stdout.splitlines())}
    assert set(got) == set(EXPECTED), proc.stderr
    for name, program in EXPECTED.items():
        assert got[name]["program"] == program, got[name]
        assert got[name]["verification"] == "proved", got[name]
    ns = {}
    exec(got["matmul"]["code"]["numpy"], ns)
    A, B = np.arange(6.0).reshape(2, 3), np.arange(12.0).reshape(3, 4)
    assert np.allclose(ns["matmul"](A, B), A @ B)          # arrays in place of vectors, no sizes


def test_sizes_come_from_the_vectors(tmp_path, capfd):
    k = write_kernel(tmp_path, KERNELS, "kernels.cpp")
    proc, info = cli_main_json(capfd, "analyze", k, "--function", "darken_blend_8", "--examples", "1")
    assert info["sizes"] == ["n0", "n1"]
    assert [p["shape"] for p in info["params"]] == [["n0", "n1"], ["n0", "n1"]]
    assert info["returns"] == {"dtype": "int", "shape": ["n0", "n1"]}


def test_a_returned_vector_empty_at_some_sizes(tmp_path, capfd):
    """A window longer than the signal gives no output: those examples run too."""
    k = write_kernel(tmp_path, """
        #include <vector>
        std::vector<double> moving_avg(const std::vector<double>& s, int w) {
            std::vector<double> r;
            for (int i = 0; i + w <= (int)s.size(); i++) {
                double acc = 0;
                for (int j = 0; j < w; j++) acc += s[i + j];
                r.push_back(acc / w);
            }
            return r;
        }""", "window.cpp")
    proc, info = cli_main_json(capfd, "analyze", k, "--examples", "3")
    assert proc.returncode == 0, proc.stderr
    outs = [len(e["outputs"]["moving_avg"]) for e in info["examples"]]
    assert 0 in outs and any(outs), outs


def test_ragged_rows_are_refused(tmp_path, capfd):
    k = write_kernel(tmp_path, """
        #include <vector>
        std::vector<std::vector<int>> tri(const std::vector<int>& a) {
            std::vector<std::vector<int>> out;
            for (size_t i = 0; i < a.size(); i++) {
                std::vector<int> row;
                for (size_t j = 0; j <= i; j++) row.push_back(a[j]);
                out.push_back(row);
            }
            return out;
        }""", "tri.cpp")
    proc = cli_main(capfd, "lift", k)
    assert proc.returncode == 2 and len(proc.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize("scope", ["", 'extern "C"'])
def test_a_global_in_a_cpp_kernel_gets_one_line(tmp_path, scope, capfd):
    """Found as the kernel's array (inside `extern "C"` too), then refused by name."""
    k = write_kernel(tmp_path, f"""
        {scope} {{ float W[8]; }}
        void bump(float s) {{ for (int i = 0; i < 8; i++) W[i] += s; }}""" if scope else """
        float W[8];
        void bump(float s) { for (int i = 0; i < 8; i++) W[i] += s; }""", "glob.cpp")
    proc = cli_main(capfd, "lift", k)
    assert proc.returncode == 2 and proc.stderr.strip().splitlines() == [
        "tensorlift: error: unsupported construct: the global variable 'W' in a C++ kernel "
        "(globals are lifted from C files only)"]


def test_bad_cpp_input_gets_one_line(tmp_path, capfd):
    template = write_kernel(tmp_path, """
        #include <vector>
        template <typename T> std::vector<T> twice(const std::vector<T>& a) {
            std::vector<T> out; for (auto v : a) out.push_back(2 * v); return out; }""", "t.cpp")
    proc = cli_main(capfd, "lift", template)
    assert proc.returncode == 2 and "template that is never instantiated" in proc.stderr
    library = write_kernel(tmp_path, """
        #include <vector>
        #include <numeric>
        int total(const std::vector<int>& a) { return std::accumulate(a.begin(), a.end(), 0); }""", "l.cpp")
    proc = cli_main(capfd, "lift", library)
    assert proc.returncode == 2 and "'std::accumulate', a library function" in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1


def test_language_option_reads_cpp_from_any_name(tmp_path, capfd):
    k = write_kernel(tmp_path, "#include <vector>\nint first(const std::vector<int>& v) { int s = 0; "
                               "for (int x : v) s += x; return s; }", "kernel.txt")
    proc, out = cli_main_json(capfd, "lift", k, "-x", "c++")
    assert out["program"] == "first = v(i)" and out["verification"] == "proved"


def test_functions_in_namespaces(tmp_path, capfd):
    k = write_kernel(tmp_path, """#include <vector>
namespace dsp { namespace detail { inline float sq(float v) { return v * v; } }
std::vector<float> squares(const std::vector<float>& x) {
    std::vector<float> out;
    for (float v : x) out.push_back(detail::sq(v));
    return out;
} }
namespace { void scale(std::vector<float>& x, float a) { for (auto& v : x) v *= a; } }
""", "ns.cpp")
    proc = cli_main(capfd, "lift", k, "--json")
    got = {r["function"]: r for r in map(json.loads, proc.stdout.splitlines())}
    assert got["squares"]["program"] == "squares(i) = x(i) * x(i)", proc.stderr
    assert got["scale"]["program"] == "x(i) = x(i) * a"
    assert all(r["verification"] == "proved" for r in got.values())
