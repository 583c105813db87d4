"""Where tensorlift keeps what it can reuse across runs: compiled harnesses and model answers."""
from __future__ import annotations

import os
from pathlib import Path
from typing import Mapping, Optional


def default_cache_dir(environ: Optional[Mapping[str, str]] = None) -> Path:
    """The tensorlift cache directory (not created): TENSORLIFT_CACHE_DIR, else
    $XDG_CACHE_HOME/tensorlift, else ~/.cache/tensorlift."""
    env = os.environ if environ is None else environ
    if env.get("TENSORLIFT_CACHE_DIR"):
        return Path(env["TENSORLIFT_CACHE_DIR"]).expanduser()
    if env.get("XDG_CACHE_HOME"):
        return Path(env["XDG_CACHE_HOME"]).expanduser() / "tensorlift"
    return Path("~/.cache").expanduser() / "tensorlift"
