"""Sampling answers from a model behind the OpenAI-compatible chat-completions API.

One request per sample index, each with the same messages and temperature; the answers are
cached per (model, messages, sample index, temperature) so that a run can be replayed offline
and an interrupted run resumes where it stopped.

Failure policy (see `sample_answers`):
- 429, 408, 5xx, timeouts and connection errors are retried with exponential back-off
  (`backoff` seconds, doubled each time, capped at `max_backoff`), or after the server's
  `Retry-After` (capped at `max_retry_after`), at most `max_retries` times. The openai
  client's own retries are switched off so that the behaviour is ours.
- When a sample exhausts its retries the server is taken to be down: no further samples are
  requested and the ones not obtained are counted as failed.
- An answer that is unusable (body not JSON, no choices, empty or non-text content) fails
  that sample only, without retry: the server did answer.
- 401, 403, 404 and other 4xx answers are configuration errors and raise ModelError at once.
- If at least one sample was obtained (from the server or the cache) the call returns what it
  has, with the number of failed samples in `Samples.failed`; if none was, it raises
  ModelError with the first failure's message.
"""
from __future__ import annotations

import email.utils
import logging
import re
import socket
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, Mapping, Optional

import openai

from ..errors import ModelError, TensorliftError
from .cache import Cache
from .config import DEFAULT_BASE_URL, ModelConfig  # noqa: F401 (re-exported)

log = logging.getLogger("tensorlift.llm")


_sleep = time.sleep        # tests may replace it


@dataclass
class Samples:
    """The answers obtained, in sample-index order (cached and fresh ones together).

    `failed` counts samples that could not be obtained, `from_cache` those replayed from the
    cache, `errors` holds the distinct one-line reasons of the failures. Iterating, `len()` and
    indexing go to `answers`."""
    answers: list[str]
    failed: int = 0
    from_cache: int = 0
    errors: list[str] = field(default_factory=list)

    def __iter__(self):
        return iter(self.answers)

    def __len__(self) -> int:
        return len(self.answers)

    def __getitem__(self, i):
        return self.answers[i]


class _BadAnswer(Exception):
    """The server answered, but not with a usable text: this sample fails."""


class _GaveUp(Exception):
    """Retries exhausted on a transient failure: the server is taken to be down."""


def sample_answers(config: ModelConfig, messages: list[dict], n: int, temperature: float = 1.0,
                   cache: Optional[Cache] = None, offline: bool = False) -> Samples:
    """Obtain `n` answers to `messages`, one request per sample index, using the cache.

    A sample found in `cache` is not requested again; a fresh one is stored there at once.
    With `offline=True` nothing is requested: every sample must be in the cache, otherwise
    ModelError. See the module docstring for the failure policy."""
    if n < 0:
        raise ValueError("n must be >= 0")
    results: list[Optional[str]] = [None] * n
    from_cache = 0
    if cache is not None:
        for k in range(n):
            hit = cache.get(config.model, messages, k, temperature)
            if hit is not None:
                results[k] = hit
                from_cache += 1
    missing = [k for k in range(n) if results[k] is None]
    if offline:
        if missing:
            where = f" {cache.root}" if cache is not None else " (no cache given)"
            raise ModelError(f"{len(missing)} of {n} samples of model {config.model!r} "
                             f"not in cache{where} (offline)")
        return Samples(list(results), 0, from_cache)   # type: ignore[arg-type]
    if not missing:
        return Samples(list(results), 0, from_cache)   # type: ignore[arg-type]

    stop = threading.Event()         # set when the server gave up or refused us
    cache_warned = threading.Event()

    def one(k: int) -> tuple[str, Any]:
        if stop.is_set():
            return "skipped", None
        try:
            text = _request_with_retries(client, config, messages, temperature, stop)
        except _BadAnswer as e:
            return "bad", str(e)
        except _GaveUp as e:
            stop.set()
            return "gaveup", str(e)
        except ModelError as e:
            stop.set()
            return "fatal", e
        if cache is not None:
            try:
                cache.put(config.model, messages, k, temperature, text)
            except TensorliftError as e:
                if not cache_warned.is_set():
                    cache_warned.set()
                    log.warning("%s; answers are not cached", e)
        return "ok", text

    client = _make_client(config)
    try:
        workers = max(1, min(config.concurrency, len(missing)))
        if workers == 1:
            outcomes = [one(k) for k in missing]
        else:
            with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="tensorlift-llm") as pool:
                outcomes = list(pool.map(one, missing))
    finally:
        client.close()

    failed, errors = 0, []
    for k, (kind, value) in zip(missing, outcomes):
        if kind == "fatal":
            raise value
        if kind == "ok":
            results[k] = value
            continue
        failed += 1
        if value is not None and value not in errors:
            errors.append(value)
    answers = [r for r in results if r is not None]
    if not answers and failed:
        suffix = f" (all {failed} samples failed)" if failed > 1 else ""
        raise ModelError(errors[0] + suffix)
    if failed:
        log.warning("%d of %d samples failed: %s", failed, n, "; ".join(errors))
    return Samples(answers, failed, from_cache, errors)


def _make_client(config: ModelConfig) -> "openai.OpenAI":
    try:
        return openai.OpenAI(base_url=config.base_url, api_key=config.api_key or "none",
                             timeout=config.timeout, max_retries=0)
    except openai.OpenAIError as e:
        raise ModelError(f"cannot set up a client for model server at {config.base_url}: "
                         f"{_one_line(str(e))}") from None


def _request_with_retries(client, config: ModelConfig, messages: list[dict], temperature: float,
                          stop: threading.Event) -> str:
    where = f"model server at {config.base_url}"
    retries = 0
    while True:
        retry_after = None
        try:
            completion = client.chat.completions.create(
                model=config.model, messages=messages, temperature=temperature)
            return _answer_text(completion, where)
        except openai.APIStatusError as e:
            status = e.status_code
            detail = _server_message(e)
            if status == 429:
                problem = "rate-limited the requests (HTTP 429)"
            elif status == 408 or status >= 500:
                problem = f"failed with HTTP {status}" + (f" ({detail})" if detail else "")
            else:
                raise ModelError(_refusal_message(where, config, status, detail)) from None
            retry_after = _retry_after(e.response.headers)
        except openai.APITimeoutError:
            problem = f"did not answer within {config.timeout:g} s"
        except openai.APIConnectionError as e:
            problem = f"unreachable: {_connection_reason(e)}"
        except (ValueError, openai.APIResponseValidationError):
            # the openai client parses a JSON content type with json.loads
            raise _BadAnswer(f"{where} answered with a malformed response (not chat-completion JSON)") from None
        except openai.OpenAIError as e:
            raise ModelError(f"{where}: {type(e).__name__}: {_one_line(str(e))}") from None

        if retries >= config.max_retries or stop.is_set():
            if stop.is_set() and retries < config.max_retries:
                raise _GaveUp(f"{where} {problem}")
            raise _GaveUp(f"{where} {problem} after {retries} {'retry' if retries == 1 else 'retries'}")
        if retry_after is not None:
            delay = min(retry_after, config.max_retry_after)
        else:
            delay = min(config.backoff * (2 ** retries), config.max_backoff)
        retries += 1
        log.info("%s %s; retry %d of %d in %.2f s", where, problem, retries, config.max_retries, delay)
        _sleep(max(0.0, delay))


def _answer_text(completion: Any, where: str) -> str:
    choices = getattr(completion, "choices", None) if not isinstance(completion, (str, bytes, list, dict)) else None
    if not isinstance(choices, list):
        raise _BadAnswer(f"{where} answered with a malformed response (not chat-completion JSON)")
    if not choices:
        raise _BadAnswer(f"{where} answered with no choices")
    message = getattr(choices[0], "message", None)
    if message is None:
        raise _BadAnswer(f"{where} answered with a choice without a message")
    content = getattr(message, "content", None)
    if isinstance(content, list):        # content parts: accept text parts only
        if content and all(isinstance(p, dict) and p.get("type") == "text"
                           and isinstance(p.get("text"), str) for p in content):
            content = "".join(p["text"] for p in content)
        else:
            raise _BadAnswer(f"{where} answered with non-text content")
    if content is None:
        refusal = getattr(message, "refusal", None)
        if isinstance(refusal, str) and refusal.strip():
            raise _BadAnswer(f"{where}: the model refused: {_one_line(refusal)}")
        raise _BadAnswer(f"{where} answered with empty content")
    if not isinstance(content, str):
        raise _BadAnswer(f"{where} answered with non-text content ({type(content).__name__})")
    if not content.strip():
        raise _BadAnswer(f"{where} answered with empty content")
    return content


def _refusal_message(where: str, config: ModelConfig, status: int, detail: str) -> str:
    extra = f": {detail}" if detail else ""
    if status == 401:
        return f"{where} rejected the API key (HTTP 401{extra}); check OPENAI_API_KEY"
    if status == 403:
        return f"{where} denied access (HTTP 403{extra}); check OPENAI_API_KEY"
    if status == 404:
        return (f"{where} has no model {config.model!r} or no chat-completions endpoint "
                f"(HTTP 404{extra}); check TENSORLIFT_MODEL and OPENAI_BASE_URL")
    return f"{where} rejected the request (HTTP {status}{extra})"


def _server_message(e: "openai.APIStatusError") -> str:
    body = e.body
    if isinstance(body, dict):
        inner = body.get("error", body)
        msg = inner.get("message") if isinstance(inner, dict) else inner
        if not isinstance(msg, str):
            msg = body.get("message") if isinstance(body.get("message"), str) else ""
    elif isinstance(body, str):
        msg = body
    else:
        msg = ""
    return _one_line(msg)


def _retry_after(headers: Mapping[str, str]) -> Optional[float]:
    """Seconds asked for by `retry-after-ms` or `Retry-After` (seconds or HTTP date)."""
    value = headers.get("retry-after-ms")
    if value:
        try:
            return max(0.0, float(value) / 1000.0)
        except ValueError:
            pass
    value = headers.get("retry-after")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when is None:
        return None
    return max(0.0, when.timestamp() - time.time())


def _connection_reason(e: BaseException) -> str:
    inner: BaseException = e
    seen = set()
    while True:
        nxt = inner.__cause__ or inner.__context__
        if nxt is None or id(nxt) in seen:
            break
        seen.add(id(nxt))
        inner = nxt
    if isinstance(inner, ConnectionRefusedError):
        return "connection refused"
    if isinstance(inner, socket.gaierror):
        return "host name not resolved"
    if isinstance(inner, ConnectionResetError):
        return "connection reset"
    text = re.sub(r"^\[Errno -?\d+\]\s*", "", str(inner)).strip()
    return _one_line(text) or type(inner).__name__


def _one_line(text: str, limit: int = 160) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 3] + "..."
