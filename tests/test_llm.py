"""tensorlift.llm against a real HTTP server on loopback (tests/fake_llm_server.py)."""
from __future__ import annotations

import json
import multiprocessing
import socket
import threading
import time
from pathlib import Path

import pytest

from tensorlift.errors import ModelError, TensorliftError
from tensorlift.llm import (Cache, ModelConfig, Samples, build_prompt, cache_key,
                            default_cache_dir, load_answers_file, sample_answers)
from tensorlift.signature import Param, Signature

try:
    from fake_llm_server import (Answer, Delay, EmptyChoices, EmptyContent, FakeLLMServer,
                                 Garbage, NonText, Raw, Status)
except ImportError:                                          # tests/ made a package
    from tests.fake_llm_server import (Answer, Delay, EmptyChoices, EmptyContent,  # type: ignore
                                       FakeLLMServer, Garbage, NonText, Raw, Status)

MESSAGES = [{"role": "user", "content": "translate: for (i...) y[i] = a[i] * b[i];"}]


@pytest.fixture(autouse=True)
def _no_proxy(monkeypatch):
    # a proxy from the environment must not intercept loopback requests
    for var in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(var, raising=False)


@pytest.fixture
def server():
    with FakeLLMServer() as s:
        yield s


@pytest.fixture
def cache(tmp_path):
    return Cache(tmp_path / "cache")


def config_for(url: str, **kw) -> ModelConfig:
    opts = dict(api_key="sk-test", model="fake-model", timeout=2.0, max_retries=3, backoff=0.01,
                max_backoff=0.05, max_retry_after=1.0, concurrency=1)
    opts.update(kw)
    return ModelConfig(base_url=url, **opts)


def closed_port() -> int:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def assert_one_line(e: BaseException) -> str:
    text = str(e)
    assert text and "\n" not in text
    return text


# --- answers -----------------------------------------------------------------------------

def test_answer_returned_and_request_shape(server):
    server.script(Answer("y(i) = A(i,j) * x(j)"))
    samples = sample_answers(config_for(server.url), MESSAGES, 1, temperature=0.7)
    assert isinstance(samples, Samples)
    assert samples.answers == ["y(i) = A(i,j) * x(j)"]
    assert (samples.failed, samples.from_cache, samples.errors) == (0, 0, [])
    assert list(samples) == samples.answers and len(samples) == 1 and samples[0] == samples.answers[0]
    [req] = server.requests
    assert req.path == "/v1/chat/completions"
    assert req.body["model"] == "fake-model"
    assert req.body["messages"] == MESSAGES
    assert req.body["temperature"] == 0.7
    assert "n" not in req.body
    assert req.headers["authorization"] == "Bearer sk-test"


def test_n_requests_for_n_samples_in_order(server):
    samples = sample_answers(config_for(server.url), MESSAGES, 5)
    assert samples.answers == [f"answer {i}" for i in range(5)]
    assert server.request_count == 5


def test_concurrent_samples_one_request_each(server):
    """Four requests in flight at once: each answer waits until four have arrived, which
    requests sent one after the other never do (the barrier breaks, the samples fail)."""
    together = threading.Barrier(4, timeout=5)

    def answer(i, body):
        together.wait()
        return Answer(f"answer {i}")
    server.default = answer
    samples = sample_answers(config_for(server.url, concurrency=4, max_retries=0), MESSAGES, 8)
    assert sorted(samples.answers) == sorted(f"answer {i}" for i in range(8))
    assert server.request_count == 8


def test_zero_samples_make_no_request(server):
    assert sample_answers(config_for(server.url), MESSAGES, 0).answers == []
    assert server.request_count == 0


# --- retries -----------------------------------------------------------------------------

def test_retries_after_500_503_and_429_then_success(server):
    server.script(Status(500), Status(503), Status(429, retry_after="0.3"), Answer("ok"))
    t0 = time.monotonic()
    samples = sample_answers(config_for(server.url), MESSAGES, 1)
    assert samples.answers == ["ok"] and samples.failed == 0
    assert server.request_count == 4
    assert time.monotonic() - t0 >= 0.3          # Retry-After honoured


def test_retry_after_is_capped(server):
    server.script(Status(429, retry_after="100"), Answer("ok"))
    t0 = time.monotonic()
    samples = sample_answers(config_for(server.url, max_retry_after=0.1), MESSAGES, 1)
    assert samples.answers == ["ok"]
    assert time.monotonic() - t0 < 2


def test_gives_up_after_persistent_500(server):
    server.default = lambda i, body: Status(500, message="CUDA out of memory")
    with pytest.raises(ModelError) as info:
        sample_answers(config_for(server.url), MESSAGES, 1)
    text = assert_one_line(info.value)
    assert text == (f"model server at {server.url} failed with HTTP 500 "
                    f"(CUDA out of memory) after 3 retries")
    assert server.request_count == 4             # first try + 3 retries


def test_persistent_429_message(server):
    server.default = lambda i, body: Status(429, retry_after="0")
    with pytest.raises(ModelError, match=r"rate-limited the requests \(HTTP 429\) after 1 retry$"):
        sample_answers(config_for(server.url, max_retries=1), MESSAGES, 1)
    assert server.request_count == 2


def test_unreachable_port_fails_quickly():
    url = f"http://127.0.0.1:{closed_port()}/v1"
    t0 = time.monotonic()
    with pytest.raises(ModelError) as info:
        sample_answers(config_for(url), MESSAGES, 3)
    assert time.monotonic() - t0 < 3
    text = assert_one_line(info.value)
    assert text == f"model server at {url} unreachable: connection refused after 3 retries (all 3 samples failed)"


def test_timeout_then_give_up(server):
    server.default = lambda i, body: Delay(3.0)
    t0 = time.monotonic()
    with pytest.raises(ModelError) as info:
        sample_answers(config_for(server.url, timeout=0.3, max_retries=1), MESSAGES, 1)
    assert time.monotonic() - t0 < 2.5
    assert assert_one_line(info.value) == f"model server at {server.url} did not answer within 0.3 s after 1 retry"
    assert server.request_count == 2


def test_timeout_is_retried(server):
    server.script(Delay(3.0), Answer("late but fine"))
    samples = sample_answers(config_for(server.url, timeout=0.3), MESSAGES, 1)
    assert samples.answers == ["late but fine"]
    assert server.request_count == 2


# --- unusable answers --------------------------------------------------------------------

@pytest.mark.parametrize("action, expected", [
    (Garbage(), "answered with a malformed response (not chat-completion JSON)"),
    (Garbage(body="not json", content_type="text/plain"), "answered with a malformed response"),
    (Raw(200, '{"foo": 1}'), "answered with a malformed response"),
    (Raw(200, '[1, 2, 3]'), "answered with a malformed response"),
    (EmptyChoices(), "answered with no choices"),
    (EmptyContent(""), "answered with empty content"),
    (EmptyContent("  \n "), "answered with empty content"),
    (EmptyContent(None), "answered with empty content"),
    (NonText(), "answered with non-text content"),
    (NonText(42), "answered with non-text content (int)"),
])
def test_unusable_answer_is_a_model_error(server, action, expected):
    server.script(action)
    with pytest.raises(ModelError) as info:
        sample_answers(config_for(server.url), MESSAGES, 1)
    text = assert_one_line(info.value)
    assert text.startswith(f"model server at {server.url} ") and expected in text
    assert server.request_count == 1             # the server did answer: not retried


def test_text_content_parts_are_joined(server):
    server.script(NonText([{"type": "text", "text": "y(i) = "}, {"type": "text", "text": "x(i)"}]))
    assert sample_answers(config_for(server.url), MESSAGES, 1).answers == ["y(i) = x(i)"]


@pytest.mark.parametrize("status, expected", [
    (401, "rejected the API key (HTTP 401: scripted failure); check OPENAI_API_KEY"),
    (403, "denied access (HTTP 403: scripted failure); check OPENAI_API_KEY"),
    (404, "has no model 'fake-model' or no chat-completions endpoint (HTTP 404: scripted failure); "
          "check TENSORLIFT_MODEL and OPENAI_BASE_URL"),
    (400, "rejected the request (HTTP 400: scripted failure)"),
])
def test_client_errors_are_fatal_at_once(server, status, expected):
    server.script(Answer("first"), Status(status))
    with pytest.raises(ModelError) as info:
        sample_answers(config_for(server.url), MESSAGES, 4)
    assert assert_one_line(info.value) == f"model server at {server.url} {expected}"
    assert server.request_count == 2             # no retry, no further sample


def test_wrong_path_is_a_404_error(server):
    config = config_for(server.url.replace("/v1", "/nope"))
    with pytest.raises(ModelError, match="HTTP 404"):
        sample_answers(config, MESSAGES, 1)


# --- partial success ---------------------------------------------------------------------

def test_partial_success_returns_what_succeeded(server):
    server.script(Answer("a"), EmptyChoices(), Garbage(), Answer("d"))
    samples = sample_answers(config_for(server.url), MESSAGES, 4)
    assert samples.answers == ["a", "d"]
    assert samples.failed == 2
    assert len(samples.errors) == 2 and all("\n" not in e for e in samples.errors)


def test_server_giving_up_stops_further_requests(server):
    server.script(Answer("a"))
    server.default = lambda i, body: Status(503)
    samples = sample_answers(config_for(server.url), MESSAGES, 4)
    assert samples.answers == ["a"]
    assert samples.failed == 3
    assert server.request_count == 1 + 4         # one answer, then one sample's 4 attempts
    assert samples.errors == [f"model server at {server.url} failed with HTTP 503 "
                              f"(scripted failure) after 3 retries"]


# --- cache -------------------------------------------------------------------------------

def test_cache_hit_makes_no_request(server, cache):
    config = config_for(server.url)
    first = sample_answers(config, MESSAGES, 3, cache=cache)
    assert server.request_count == 3 and first.from_cache == 0
    again = sample_answers(config, MESSAGES, 3, cache=cache)
    assert server.request_count == 3
    assert again.answers == first.answers and again.from_cache == 3
    more = sample_answers(config, MESSAGES, 5, cache=cache)
    assert server.request_count == 5             # only samples 3 and 4 were requested
    assert more.answers[:3] == first.answers and more.from_cache == 3


def test_cache_key_covers_model_messages_sample_temperature(server, cache):
    config = config_for(server.url)
    sample_answers(config, MESSAGES, 1, temperature=1.0, cache=cache)
    sample_answers(config, MESSAGES, 1, temperature=1, cache=cache)          # same key
    assert server.request_count == 1
    sample_answers(config, MESSAGES, 1, temperature=0.5, cache=cache)
    assert server.request_count == 2
    other = [{"role": "user", "content": "something else"}]
    sample_answers(config, other, 1, temperature=1.0, cache=cache)
    assert server.request_count == 3
    sample_answers(config_for(server.url, api_key="other", timeout=5.0), MESSAGES, 1, cache=cache)
    assert server.request_count == 3             # neither key nor timeouts are part of the key
    cfg2 = ModelConfig(base_url=server.url, api_key="x", model="other-model", max_retries=0)
    sample_answers(cfg2, MESSAGES, 1, cache=cache)
    assert server.request_count == 4
    keys = {cache_key("m", MESSAGES, k, 1.0) for k in range(3)}
    assert len(keys) == 3 and all(len(k) == 64 for k in keys)


def test_cache_file_holds_request_and_response(server, cache):
    server.script(Answer("dot = a(i) * b(i)"))
    sample_answers(config_for(server.url), MESSAGES, 1, temperature=0.8, cache=cache)
    key = cache_key("fake-model", MESSAGES, 0, 0.8)
    entry = json.loads(cache.path(key).read_text(encoding="utf-8"))
    assert entry["response"] == "dot = a(i) * b(i)"
    assert entry["request"] == {"model": "fake-model", "messages": MESSAGES, "sample": 0,
                                "temperature": 0.8}
    assert entry["key"] == key


def test_offline_replays_from_cache(cache):
    with FakeLLMServer() as server:
        config = config_for(server.url)
        online = sample_answers(config, MESSAGES, 3, cache=cache)
    # the server is gone: offline replay must not try to reach it
    replay = sample_answers(config, MESSAGES, 3, cache=cache, offline=True)
    assert replay.answers == online.answers and replay.from_cache == 3 and replay.failed == 0
    with pytest.raises(ModelError) as info:
        sample_answers(config, MESSAGES, 5, cache=cache, offline=True)
    text = assert_one_line(info.value)
    assert text.startswith("2 of 5 samples of model 'fake-model' not in cache") and text.endswith("(offline)")
    with pytest.raises(ModelError, match=r"not in cache .*\(offline\)$"):
        sample_answers(config, MESSAGES, 1, offline=True)


def test_corrupt_cache_file_is_a_miss(server, cache):
    config = config_for(server.url)
    sample_answers(config, MESSAGES, 2, cache=cache)
    path = cache.path(cache_key("fake-model", MESSAGES, 0, 1.0))
    path.write_text('{"version": 1, "respo', encoding="utf-8")
    assert cache.get("fake-model", MESSAGES, 0, 1.0) is None
    samples = sample_answers(config, MESSAGES, 2, cache=cache)
    assert server.request_count == 3 and samples.from_cache == 1
    assert cache.get("fake-model", MESSAGES, 0, 1.0) == samples.answers[0]   # rewritten
    path.write_text(json.dumps({"version": 1, "key": "wrong", "response": "x"}), encoding="utf-8")
    assert cache.get("fake-model", MESSAGES, 0, 1.0) is None


def test_unwritable_cache_does_not_lose_answers(server, tmp_path):
    blocker = tmp_path / "blocked"
    blocker.write_text("a file where the cache directory should be")
    samples = sample_answers(config_for(server.url), MESSAGES, 2, cache=Cache(blocker))
    assert samples.answers == ["answer 0", "answer 1"]
    with pytest.raises(TensorliftError, match="cannot write LLM cache file"):
        Cache(blocker).put("m", MESSAGES, 0, 1.0, "x")


def _writer(root: str, worker: int, rounds: int) -> None:
    cache = Cache(root)
    for r in range(rounds):
        cache.put("m", MESSAGES, 0, 1.0, f"shared {worker} {r} " + "x" * (r * 97 % 5000))
        cache.put("m", MESSAGES, 100 + worker, 1.0, f"own {worker} {r}")


def _reader(root: str, done, bad) -> None:
    """Reads the shared entry's file while it is rewritten: it must always be whole."""
    cache = Cache(root)
    path = cache.path(cache_key("m", MESSAGES, 0, 1.0))
    while not done.is_set():
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            continue
        try:
            assert json.loads(data)["response"].startswith("shared ")
        except (ValueError, KeyError, AssertionError):
            bad.value += 1
        value = cache.get("m", MESSAGES, 0, 1.0)
        if value is None or not value.startswith("shared "):
            bad.value += 1


@pytest.mark.slow
def test_parallel_writes_leave_valid_files(tmp_path):
    ctx = multiprocessing.get_context("spawn")
    root = str(tmp_path / "cache")
    bad, done = ctx.Value("i", 0), ctx.Event()
    writers = [ctx.Process(target=_writer, args=(root, w, 60)) for w in range(4)]
    readers = [ctx.Process(target=_reader, args=(root, done, bad)) for _ in range(2)]
    for p in writers + readers:
        p.start()
    for p in writers:
        p.join(30)
    done.set()
    for p in readers:
        p.join(30)
    assert [p.exitcode for p in writers + readers] == [0] * 6
    assert bad.value == 0
    cache = Cache(root)
    assert cache.get("m", MESSAGES, 0, 1.0).startswith("shared ")
    for w in range(4):
        assert cache.get("m", MESSAGES, 100 + w, 1.0) == f"own {w} 59"
    files = [p for p in Path(root).rglob("*") if p.is_file()]
    assert len(files) == 5                       # no temporary file left behind
    for f in files:
        assert f.suffix == ".json" and not f.name.startswith(".")
        assert json.loads(f.read_text(encoding="utf-8"))["version"] == 1


def test_default_cache_dir():
    assert default_cache_dir({"TENSORLIFT_CACHE_DIR": "/x/tl", "XDG_CACHE_HOME": "/y"}) == Path("/x/tl")
    assert default_cache_dir({"XDG_CACHE_HOME": "/y"}) == Path("/y/tensorlift")
    assert default_cache_dir({}) == Path("~/.cache/tensorlift").expanduser()


def test_cache_uses_env_dir(monkeypatch, tmp_path):
    monkeypatch.setenv("TENSORLIFT_CACHE_DIR", str(tmp_path / "envcache"))
    cache = Cache()
    cache.put("m", MESSAGES, 0, 1.0, "v")
    assert cache.path(cache_key("m", MESSAGES, 0, 1.0)).is_relative_to(tmp_path / "envcache")


# --- configuration -----------------------------------------------------------------------

def test_from_env():
    assert ModelConfig.from_env({}) is None
    assert ModelConfig.from_env({"TENSORLIFT_MODEL": "  ", "OPENAI_BASE_URL": "http://h/v1"}) is None
    c = ModelConfig.from_env({"TENSORLIFT_MODEL": "qwen"})
    assert (c.model, c.base_url, c.api_key) == ("qwen", "https://api.openai.com/v1", "none")
    assert (c.timeout, c.max_retries) == (60.0, 4)
    c = ModelConfig.from_env({"TENSORLIFT_MODEL": "gpt-x", "OPENAI_BASE_URL": "http://127.0.0.1:8080/v1",
                              "OPENAI_API_KEY": "sk-secret"})
    assert (c.model, c.base_url, c.api_key) == ("gpt-x", "http://127.0.0.1:8080/v1", "sk-secret")
    assert "sk-secret" not in repr(c)


def test_from_env_reads_os_environ(monkeypatch):
    monkeypatch.delenv("TENSORLIFT_MODEL", raising=False)
    assert ModelConfig.from_env() is None
    monkeypatch.setenv("TENSORLIFT_MODEL", "llama")
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    assert ModelConfig.from_env().api_key == "none"


# --- answers file ------------------------------------------------------------------------

def test_load_answers_file(tmp_path):
    f = tmp_path / "answers.txt"
    f.write_text("y(i) = A(i,j) * x(j)\n\n   \n  a(i)*b(i)  \r\n"
                 "t(i) = a(i) * b(i)\\ny(i) = t(i) + c(i)\n", encoding="utf-8")
    assert load_answers_file(f) == ["y(i) = A(i,j) * x(j)", "a(i)*b(i)",
                                    "t(i) = a(i) * b(i)\ny(i) = t(i) + c(i)"]
    empty = tmp_path / "empty.txt"
    empty.write_text("\n\n")
    assert load_answers_file(str(empty)) == []


def test_load_answers_file_errors(tmp_path):
    for path, expected in [(tmp_path / "missing.txt", "not found"),
                           (tmp_path, "is a directory")]:
        with pytest.raises(TensorliftError) as info:
            load_answers_file(path)
        assert expected in assert_one_line(info.value)
    binary = tmp_path / "bin.txt"
    binary.write_bytes(b"ok\n\xff\xfe\n")
    with pytest.raises(TensorliftError, match="not UTF-8"):
        load_answers_file(binary)


# --- prompt ------------------------------------------------------------------------------

GEMV = """\
#include <stddef.h>
void gemv(int n, int m, double alpha, const double *A, const double *x, double *y) {
    for (int i = 0; i < n; i++) {
        double s = 0;
        for (int j = 0; j < m; j++)
            s += A[i*m + j] * x[j];
        y[i] = alpha * s;
    }
}
"""


def gemv_signature() -> Signature:
    return Signature("gemv", [
        Param("n", "scalar", "int", role="dimension"),
        Param("m", "scalar", "int", role="dimension"),
        Param("alpha", "scalar", "double", role="value"),
        Param("A", "array", "double", access="read", shape=["n", "m"]),
        Param("x", "array", "double", access="read", shape=["m"]),
        Param("y", "array", "double", access="write", shape=["n"]),
    ])


def test_prompt_contains_source_and_conventions():
    messages = build_prompt(GEMV, "gemv", None)
    assert [m["role"] for m in messages] == ["system", "user"]
    text = messages[-1]["content"]
    assert GEMV.strip() in text
    assert "`gemv`" in text
    for convention in ("parameter names", "`s.vals`", "order-0 tensor", "`total = u(i) * w(i)`",
                       "absent from the left-hand side are summed", "`+=` accumulates",
                       "One statement per line", "several statements", "formula only"):
        assert convention in text, convention
    assert "Arrays:" not in text and "```c\n" in text
    assert build_prompt(GEMV, "gemv", None) == messages          # deterministic
    cxx = build_prompt("int f(std::vector<int> v) { return v[0]; }", "f", None, "c++")[-1]["content"]
    assert "C++ function `f`" in cxx and "```cpp" in cxx
    json.dumps(messages)                                          # plain data


def test_prompt_lists_signature():
    text = build_prompt(GEMV, "gemv", gemv_signature())[-1]["content"]
    assert "- A: order 2, shape [n, m], double, input" in text
    assert "- x: order 1, shape [m], double, input" in text
    assert "- y: order 1, shape [n], double, output" in text
    assert "Value scalars: alpha" in text
    assert text.index("Arrays:") < text.index("```c")
    sig = Signature("dot", [Param("a.vals", "array", "int", access="read", shape=["a.dimensions[0]"]),
                            Param("s", "array", "float", access="readwrite", shape=[])],
                    returns="int")
    text = build_prompt("int dot(...) {}", "dot", sig)[-1]["content"]
    assert "- a.vals: order 1, shape [a.dimensions[0]], int, input" in text
    assert "- s: order 0, shape [], float, input and output (updated in place)" in text
    assert "Returned value: dot (int)" in text
    assert "Value scalars" not in text
