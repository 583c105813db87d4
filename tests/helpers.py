"""Running the CLI as a user does: a subprocess of the installed package."""
import json
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
    proc = cli(*args, "--json", **kw)
    return proc, json.loads(proc.stdout) if proc.stdout.strip() else None


def write_kernel(tmp_path, text, name="kernel.c"):
    p = tmp_path / name
    p.write_text(text)
    return p
