"""Lifting guided by a language model, end to end: the CLI talks to a real local HTTP
server speaking the chat-completions API, learns a grammar from its (partly wrong)
answers, caches them, and replays them offline."""

import pytest

from fake_llm_server import Answer, FakeLLMServer, Status
from helpers import CORPUS, cli_main_json

GEMM = CORPUS / "blas/gemm_strided.c"      # C = ALPHA*A*B + BETA*C, hard for static guidance
ANSWERS = [
    "C(i,j) = ALPHA * A(i,k) * B(k,j) + BETA * C(i,j)",
    "```taco\nC(i,j) = alpha*A(i,k)*B(k,j) + beta*C(i,j)\n```",
    "C(i,j) = ALPHA * A(k,i) * B(k,j) + BETA * C(i,j)",           # swapped indices
    "The kernel is a GEMM: C(i,j) = A(i,k) * B(k,j) + BETA * C(i,j)",   # missing ALPHA
    "C(i,j) += ALPHA * A(i,k) * B(k,j)",                           # missing BETA scaling
    "out(i,j) = ALPHA * X(i,k) * Y(k,j) + BETA * out(i,j)",        # invented names
    "1. C(i,j) = C(i,j) * BETA\n2. C(i,j) += ALPHA * A(i,k) * B(k,j)",
    "I cannot translate this.",
    "C(i,j) = ALPHA * sum(k, A(i,k) * B(k,j)) + BETA * C(i,j)",
    "C(j,i) = ALPHA * A(i,k) * B(k,j) + BETA * C(j,i)",           # wrong output order
]


@pytest.fixture
def model_env(tmp_path, monkeypatch):
    """A model server, and the environment that names it (the CLI runs in this process)."""
    server = FakeLLMServer(default=lambda i, body: Answer(ANSWERS[i % len(ANSWERS)])).start()
    for name, value in dict(OPENAI_BASE_URL=server.url, OPENAI_API_KEY="test", TENSORLIFT_MODEL="fake-model",
                            TENSORLIFT_CACHE_DIR=str(tmp_path / "cache")).items():
        monkeypatch.setenv(name, value)
    yield server
    server.stop()


def test_llm_guide_learns_from_partly_wrong_answers(model_env, capfd):
    server = model_env
    proc, out = cli_main_json(capfd, "lift", GEMM, "--guide", "llm")
    assert proc.returncode == 0, proc.stderr
    assert server.request_count == 10
    assert out["status"] == "lifted" and out["verification"] == "proved"
    assert out["answers_total"] == 10 and out["answers_parsed"] == 9
    assert 1 <= out["answers_correct"] < 10
    assert out["guide"] == "llm" and out["guidance"] == "llm"
    assert out["grammar"] == "learned" and out["enumerator"] == "top-down"
    static = cli_main_json(capfd, "lift", GEMM, "--guide", "static", "--no-translate")[1]
    assert out["candidates"] < static["candidates"], "the model's answers make the search shorter"
    # the prompt carried the C code and our conventions
    prompt = str(server.requests[0].messages)
    assert "sgemm" in prompt and "ldc" in prompt


def test_answers_are_cached_and_replayed_offline(model_env, capfd):
    server = model_env
    first = cli_main_json(capfd, "lift", GEMM, "--samples", "4")[1]
    assert server.request_count == 4
    assert first["guidance"] == "answers", "auto takes an answer that is right as written"
    server.stop()
    proc, again = cli_main_json(capfd, "lift", GEMM, "--samples", "4", "--offline")
    assert proc.returncode == 0, proc.stderr
    assert again["answers_total"] == 4 and again["program"] == first["program"]
    proc, out = cli_main_json(capfd, "lift", GEMM, "--samples", "5", "--offline")
    assert proc.returncode == 2 and "not in cache" in out["error"]


def test_server_errors_are_retried_then_reported(model_env, capfd):
    server = model_env
    server.script(Status(500), Status(429, retry_after="0.1"))
    proc, out = cli_main_json(capfd, "lift", GEMM, "--guide", "llm", "--samples", "2")
    assert proc.returncode == 0 and out["answers_total"] == 2


def test_unreachable_server_is_a_one_line_error(tmp_path, monkeypatch, capfd):
    for name, value in dict(OPENAI_BASE_URL="http://127.0.0.1:9/v1", TENSORLIFT_MODEL="m",
                            TENSORLIFT_CACHE_DIR=str(tmp_path)).items():
        monkeypatch.setenv(name, value)
    proc, out = cli_main_json(capfd, "lift", CORPUS / "blas/dot.c", "--guide", "llm", "--samples", "1")
    assert proc.returncode == 2 and "unreachable" in out["error"]
    assert len(proc.stderr.strip().splitlines()) == 1


def test_llm_guide_without_a_model_is_bad_input(monkeypatch, capfd):
    monkeypatch.delenv("TENSORLIFT_MODEL", raising=False)
    proc, out = cli_main_json(capfd, "lift", CORPUS / "blas/dot.c", "--guide", "llm")
    assert proc.returncode == 2 and "no model configured" in out["error"]
    proc, out = cli_main_json(capfd, "lift", CORPUS / "blas/dot.c")      # auto: static alone
    assert proc.returncode == 0 and out["guidance"] == "static" and out["answers_total"] == 0


def test_recorded_answers_file_and_check_answers(tmp_path, capfd):
    f = tmp_path / "answers.txt"
    f.write_text("\n".join(a.replace("\n", "\\n") for a in ANSWERS) + "\n")
    proc, out = cli_main_json(capfd, "lift", GEMM, "--answers", f)
    assert out["status"] == "lifted" and out["answers_total"] == 10 and out["guidance"] == "answers"
    proc, out = cli_main_json(capfd, "lift", GEMM, "--answers", f, "--guide", "llm")
    assert out["status"] == "lifted" and out["guidance"] == "llm"      # the published method searches
    proc, base = cli_main_json(capfd, "lift", GEMM, "--answers", f, "--check-answers")
    assert base["status"] == "lifted" and base["verification"] == "proved"
    assert base["program"] in ("C(i,j) = ALPHA * A(i,k) * B(k,j) + BETA * C(i,j)",)
    wrong = tmp_path / "wrong.txt"
    wrong.write_text("C(i,j) = A(i,k) * B(k,j)\nnonsense\n")
    proc, out = cli_main_json(capfd, "lift", GEMM, "--answers", wrong, "--check-answers")
    assert proc.returncode == 1 and out["status"] == "failed" and out["answers_correct"] == 0


@pytest.mark.parametrize("grammar", ["learned", "equal", "full", "answers-only"])
@pytest.mark.parametrize("enumerator", ["top-down", "bottom-up"])
def test_every_grammar_style_and_enumerator(tmp_path, grammar, enumerator, capfd):
    f = tmp_path / "answers.txt"
    f.write_text("y(i) = A(i,j) * x(j)\ny(i) = A(j,i) * x(j)\nout(i) = M(i,j)*v(j)\n")
    proc, out = cli_main_json(capfd, "lift", CORPUS / "blas/gemv.c", "--answers", f, "--guide", "llm",
                         "--grammar", grammar, "--enumerator", enumerator)
    assert proc.returncode == 0, proc.stderr
    assert out["program"] in ("y(i) = A(i,j) * x(j)", "y(i) = x(j) * A(i,j)") and out["grammar"] == grammar
    assert out["verification"] == "proved"
    assert out["enumerator"] == enumerator and out["answers_correct"] == 2


def test_struct_names_are_mapped(tmp_path, capfd):
    f = tmp_path / "answers.txt"
    f.write_text("a(i) = b(i) + c(i)\na_vals(i) = b_vals(i) + c_vals(i)\n")
    proc, out = cli_main_json(capfd, "lift", CORPUS / "taco/vec_add.c", "--answers", f, "--check-answers")
    assert out["answers_correct"] == 2 and out["program"] == "a.vals(i) = b.vals(i) + c.vals(i)"


HARD = ["blas/gemm_strided", "blas/gemv_ab", "mathfu/lerp", "dsp/lms", "polybench/2mm", "polybench/gemm",
        "utdsp/dct", "blas/gemm_tn", "polybench/gesummv", "polybench/3mm"]


@pytest.mark.slow
def test_recorded_answers_guide_the_search_on_hard_kernels():
    """The corpus's recorded answers (partly wrong) lift the hard kernels, with fewer
    candidates than the static guide's search in median."""
    import statistics

    from tensorlift.pipeline import lift
    llm, static = [], []
    for name in HARD:
        path, answers = CORPUS / f"{name}.c", CORPUS / "answers" / f"{name}.txt"
        a = lift(path, guide="llm", answers=str(answers), timeout=60)
        b = lift(path, guide="auto", answers=str(answers), timeout=60)
        s = lift(path, guide="static", timeout=60, translate=False)    # the search alone
        assert a.status == b.status == s.status == "lifted", name
        assert a.verification == b.verification == "proved", name
        llm.append(a.candidates)
        static.append(s.candidates)
    assert statistics.median(llm) < statistics.median(static)
