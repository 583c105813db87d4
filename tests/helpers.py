"""Running the CLI as a user does: a subprocess of the installed package."""
import importlib
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
BAD = ROOT / "tests" / "data" / "bad"


def cli(*args, env=None, timeout=300):
    return subprocess.run([sys.executable, "-m", "tensorlift", *map(str, args)], capture_output=True,
                          text=True, timeout=timeout, env=env, cwd=ROOT)


def cli_json(*args, **kw):
    """The command's first JSON record: the function's (the regions of a function not lifted
    follow it, one per line)."""
    proc = cli(*args, "--json", **kw)
    return proc, json.loads(proc.stdout.splitlines()[0]) if proc.stdout.strip() else None


def write_kernel(tmp_path, text, name="kernel.c"):
    p = tmp_path / name
    p.write_text(text)
    return p


def need(module: str):
    """An optional dependency of a test: skipped when it is missing on a developer's machine,
    a failure under CI=true (the CI installs every optional dependency)."""
    try:
        return importlib.import_module(module)
    except ImportError:
        import pytest
        if os.environ.get("CI") == "true":
            pytest.fail(f"{module} is not installed, and CI=true requires it")
        pytest.skip(f"{module} is not installed")
