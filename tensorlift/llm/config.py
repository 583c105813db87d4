"""Where the model is: read from the environment without importing the model client, so
that a run without a model never pays for it."""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Mapping, Optional

DEFAULT_BASE_URL = "https://api.openai.com/v1"


@dataclass
class ModelConfig:
    """Where the model is and how patiently to talk to it.

    `concurrency` is how many samples are requested at once (1 = one after the other)."""
    base_url: str
    api_key: str = field(repr=False)
    model: str
    timeout: float = 60.0
    max_retries: int = 4
    backoff: float = 0.2
    max_backoff: float = 10.0
    max_retry_after: float = 60.0
    concurrency: int = 4

    @classmethod
    def from_env(cls, environ: Optional[Mapping[str, str]] = None) -> Optional["ModelConfig"]:
        """From `TENSORLIFT_MODEL` (required: None if unset or empty, meaning no model is
        configured), `OPENAI_BASE_URL` (default the OpenAI API) and `OPENAI_API_KEY`
        (default "none", which local servers accept)."""
        env = os.environ if environ is None else environ
        model = (env.get("TENSORLIFT_MODEL") or "").strip()
        if not model:
            return None
        base_url = (env.get("OPENAI_BASE_URL") or "").strip() or DEFAULT_BASE_URL
        api_key = (env.get("OPENAI_API_KEY") or "").strip() or "none"
        return cls(base_url=base_url, api_key=api_key, model=model)
