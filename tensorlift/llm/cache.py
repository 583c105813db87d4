"""On-disk cache of model answers, so that a run can be replayed offline.

One JSON file per request key. The key is the SHA-256 of the canonical JSON of
`{"model", "messages", "sample", "temperature"}` (sorted keys, no spaces, temperature as a
float so that 1 and 1.0 are the same key). The server URL is deliberately not part of the
key: the same model reached through another URL (a tunnel, a local mirror) replays the same
answers.

Layout: `<cache dir>/llm/<key[:2]>/<key>.json`, where the cache dir is `$TENSORLIFT_CACHE_DIR`
if set, else `$XDG_CACHE_HOME/tensorlift`, else `~/.cache/tensorlift`. Each file holds

    {"version": 1, "key": ..., "request": {model, messages, sample, temperature},
     "response": "<answer text>"}

Files are written to a temporary file in the same directory and renamed over the target
(`os.replace`), so a reader sees either no file or a complete one, and several processes can
write the same key at once (the last rename wins, each one a complete file). A file that cannot
be read or parsed, or whose request does not match the key asked for, is treated as missing and
is overwritten by the next write.
"""
from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any, Optional

from ..cachedir import default_cache_dir
from ..errors import TensorliftError

FORMAT_VERSION = 1


def request_record(model: str, messages: list[dict], sample: int, temperature: float) -> dict:
    """The request part of a cache entry; its canonical JSON is what the key hashes."""
    return {"model": model, "messages": [dict(m) for m in messages],
            "sample": int(sample), "temperature": float(temperature)}


def _canonical(obj: Any) -> str:
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _key(record: dict) -> str:
    return hashlib.sha256(_canonical(record).encode("utf-8")).hexdigest()


def cache_key(model: str, messages: list[dict], sample: int, temperature: float) -> str:
    return _key(request_record(model, messages, sample, temperature))


class Cache:
    """Answers on disk, keyed by (model, messages, sample index, temperature)."""

    def __init__(self, directory: str | os.PathLike | None = None):
        base = Path(directory) if directory is not None else default_cache_dir()
        self.root = base / "llm"

    def __repr__(self) -> str:
        return f"Cache({str(self.root.parent)!r})"

    def path(self, key: str) -> Path:
        return self.root / key[:2] / f"{key}.json"

    def get(self, model: str, messages: list[dict], sample: int, temperature: float) -> Optional[str]:
        """The cached answer text, or None if absent or unreadable."""
        record = request_record(model, messages, sample, temperature)
        key = _key(record)
        try:
            with open(self.path(key), "r", encoding="utf-8") as f:
                entry = json.load(f)
        except (OSError, ValueError):
            return None
        if (not isinstance(entry, dict) or entry.get("version") != FORMAT_VERSION
                or entry.get("key") != key or not isinstance(entry.get("response"), str)
                or _canonical(entry.get("request")) != _canonical(record)):
            return None
        return entry["response"]

    def put(self, model: str, messages: list[dict], sample: int, temperature: float,
            response: str) -> Path:
        """Store an answer atomically; raises TensorliftError if the cache cannot be written."""
        record = request_record(model, messages, sample, temperature)
        key = _key(record)
        target = self.path(key)
        entry = {"version": FORMAT_VERSION, "key": key, "request": record, "response": response}
        data = json.dumps(entry, sort_keys=True, ensure_ascii=False, indent=1).encode("utf-8")
        tmp = None
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{key[:16]}.", suffix=".tmp")
            with os.fdopen(fd, "wb") as f:
                f.write(data)
                f.flush()
                os.fsync(f.fileno())
            os.replace(tmp, target)
            tmp = None
        except OSError as e:
            raise TensorliftError(f"cannot write LLM cache file {target}: "
                                  f"{e.strerror or e}") from None
        finally:
            if tmp is not None:
                try:
                    os.unlink(tmp)
                except OSError:
                    pass
        return target
