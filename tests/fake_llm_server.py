"""A real HTTP server speaking the OpenAI chat-completions API on loopback, for tests.

    with FakeLLMServer() as server:
        server.script(Status(500), Status(429, retry_after="0.2"), Answer("y(i) = A(i,j) * x(j)"))
        config = ModelConfig(base_url=server.url, api_key="none", model="fake")
        ...
        assert len(server.requests) == 3

Each POST to /v1/chat/completions consumes the next scripted action; once the script is
empty the server answers with `default(request_index, body)` (by default the text
"answer <index>", index counted from 0 over all requests the server got). Every request is
recorded in `server.requests` (a list of `Request`), whatever the action was.

Actions: Answer(text), Status(code, retry_after=None, message=...), Delay(seconds, then),
Garbage(body), EmptyChoices(), EmptyContent(content=""), NonText(content), Raw(status, body,
headers).
"""
from __future__ import annotations

import json
import threading
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable, Optional, Union


@dataclass
class Answer:
    """A well-formed completion whose single choice has `text` as content."""
    text: str


@dataclass
class Status:
    """An HTTP error status with an OpenAI-style error body."""
    code: int
    retry_after: Optional[str] = None
    message: str = "scripted failure"


@dataclass
class Delay:
    """Sleep `seconds` (longer than the client timeout, typically), then do `then`."""
    seconds: float
    then: "Action" = field(default_factory=lambda: Answer("late answer"))


@dataclass
class Garbage:
    """Status 200, content type application/json, a body that is not JSON."""
    body: str = "<html>this is {not json"
    content_type: str = "application/json"


@dataclass
class EmptyChoices:
    """Valid completion JSON with `"choices": []`."""


@dataclass
class EmptyContent:
    """One choice whose message content is `content` (empty string or None)."""
    content: Optional[str] = ""


@dataclass
class NonText:
    """One choice whose message content is a JSON value that is not a string."""
    content: Any = field(default_factory=lambda: [{"type": "image", "data": "AAAA"}])


@dataclass
class Raw:
    """Any status, body and headers, sent as they are."""
    status: int
    body: str
    headers: dict[str, str] = field(default_factory=dict)


Action = Union[Answer, Status, Delay, Garbage, EmptyChoices, EmptyContent, NonText, Raw]


@dataclass
class Request:
    path: str
    headers: dict[str, str]
    body: Any                      # the parsed JSON body, or the raw text if it is not JSON

    @property
    def messages(self) -> list:
        return self.body.get("messages", []) if isinstance(self.body, dict) else []


def completion(model: str, content: Any, choices: Optional[list] = None) -> dict:
    if choices is None:
        choices = [{"index": 0, "finish_reason": "stop",
                    "message": {"role": "assistant", "content": content}}]
    return {"id": "chatcmpl-fake", "object": "chat.completion", "created": 1700000000,
            "model": model, "choices": choices,
            "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2}}


class FakeLLMServer:
    def __init__(self, default: Optional[Callable[[int, Any], Action]] = None):
        self.default = default or (lambda index, body: Answer(f"answer {index}"))
        self.requests: list[Request] = []
        self._script: deque[Action] = deque()
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._httpd: Optional[ThreadingHTTPServer] = None
        self._thread: Optional[threading.Thread] = None

    # -- control ---------------------------------------------------------------------------
    def script(self, *actions: Action) -> "FakeLLMServer":
        with self._lock:
            self._script.extend(actions)
        return self

    @property
    def port(self) -> int:
        assert self._httpd is not None, "server not started"
        return self._httpd.server_address[1]

    @property
    def url(self) -> str:
        """Base URL as a client is configured with it (`OPENAI_BASE_URL`)."""
        return f"http://127.0.0.1:{self.port}/v1"

    @property
    def request_count(self) -> int:
        with self._lock:
            return len(self.requests)

    def start(self) -> "FakeLLMServer":
        server = self

        class Handler(_Handler):
            owner = server

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self._httpd.block_on_close = False
        self._thread = threading.Thread(target=self._httpd.serve_forever,
                                        kwargs={"poll_interval": 0.05}, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> "FakeLLMServer":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    # -- called by the handler -------------------------------------------------------------
    def _next(self, request: Request) -> Action:
        with self._lock:
            index = len(self.requests)
            self.requests.append(request)
            if self._script:
                return self._script.popleft()
        return self.default(index, request.body)


class _Handler(BaseHTTPRequestHandler):
    owner: FakeLLMServer
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True            # headers and body are separate small writes

    def log_message(self, format, *args):     # keep test output quiet
        pass

    def do_GET(self):
        self._send(404, json.dumps({"error": {"message": "not found", "type": "invalid_request_error"}}))

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length).decode("utf-8", "replace")
        try:
            body = json.loads(raw)
        except ValueError:
            body = raw
        request = Request(self.path, {k.lower(): v for k, v in self.headers.items()}, body)
        if self.path.rstrip("/") != "/v1/chat/completions":
            with self.owner._lock:
                self.owner.requests.append(request)
            self._send(404, json.dumps({"error": {"message": f"no route {self.path}",
                                                  "type": "invalid_request_error"}}))
            return
        self._act(self.owner._next(request), body)

    def _act(self, action: Action, body: Any) -> None:
        model = body.get("model", "fake") if isinstance(body, dict) else "fake"
        if isinstance(action, Delay):
            if self.owner._stopping.wait(action.seconds):
                return
            self._act(action.then, body)
        elif isinstance(action, Answer):
            self._send(200, json.dumps(completion(model, action.text)))
        elif isinstance(action, Status):
            headers = {"Retry-After": action.retry_after} if action.retry_after is not None else {}
            error = {"error": {"message": action.message, "type": "server_error", "code": None}}
            self._send(action.code, json.dumps(error), headers)
        elif isinstance(action, Garbage):
            self._send(200, action.body, {"Content-Type": action.content_type})
        elif isinstance(action, EmptyChoices):
            self._send(200, json.dumps(completion(model, None, choices=[])))
        elif isinstance(action, EmptyContent):
            self._send(200, json.dumps(completion(model, action.content)))
        elif isinstance(action, NonText):
            self._send(200, json.dumps(completion(model, action.content)))
        elif isinstance(action, Raw):
            self._send(action.status, action.body, action.headers)
        else:                                    # pragma: no cover - a test bug
            raise TypeError(f"unknown action {action!r}")

    def _send(self, status: int, body: str, headers: Optional[dict[str, str]] = None) -> None:
        data = body.encode("utf-8")
        headers = {"Content-Type": "application/json", **(headers or {})}
        try:
            self.send_response(status)
            for k, v in headers.items():
                self.send_header(k, v)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
            self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            pass                                 # the client gave up (timeout): fine
