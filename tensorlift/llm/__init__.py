"""Answers of a language model: the prompt, the client, the on-disk cache, answer files.

    config = ModelConfig.from_env()            # None when TENSORLIFT_MODEL is not set
    messages = build_prompt(c_source, "gemv", signature)
    samples = sample_answers(config, messages, n=10, cache=Cache())
    samples.answers, samples.failed, samples.from_cache

Recorded answers can be given instead as a file, see `load_answers_file`.
"""
from __future__ import annotations

import os

from ..errors import TensorliftError
from .cache import Cache, cache_key, default_cache_dir
from .config import DEFAULT_BASE_URL, ModelConfig
from .prompt import build_prompt

__all__ = ["build_prompt", "ModelConfig", "Samples", "sample_answers", "Cache", "cache_key",
           "default_cache_dir", "load_answers_file", "DEFAULT_BASE_URL"]


def __getattr__(name: str):
    """The client (and the openai package under it) is imported only when it is used."""
    if name in ("Samples", "sample_answers"):
        from . import client
        return getattr(client, name)
    raise AttributeError(name)


def load_answers_file(path: str | os.PathLike) -> list[str]:
    """Recorded answers, one per line (the format in which published answer sets come).

    Lines are stripped of surrounding whitespace and blank lines are skipped. Inside a line,
    the two characters `\\n` (backslash, n) stand for a line break, so that a multi-statement
    answer can be recorded on one line: `t(i) = a(i) * b(i)\\ny(i) = t(i) + c(i)`. No other
    escape is interpreted. The file is read as UTF-8; a missing, unreadable or undecodable
    file raises TensorliftError."""
    try:
        with open(path, "r", encoding="utf-8") as f:
            text = f.read()
    except FileNotFoundError:
        raise TensorliftError(f"answers file {os.fspath(path)} not found") from None
    except IsADirectoryError:
        raise TensorliftError(f"answers file {os.fspath(path)} is a directory") from None
    except UnicodeDecodeError as e:
        raise TensorliftError(f"answers file {os.fspath(path)} is not UTF-8 text "
                              f"(byte {e.start})") from None
    except OSError as e:
        raise TensorliftError(f"cannot read answers file {os.fspath(path)}: "
                              f"{e.strerror or e}") from None
    answers = []
    for line in text.splitlines():
        line = line.strip()
        if line:
            answers.append(line.replace("\\n", "\n"))
    return answers
