"""Running the CLI as a user does (a subprocess of the installed package), or in this process
where a test is about what the CLI prints and returns rather than about the process."""
import contextlib
import importlib
import json
import os
import resource
import subprocess
import sys
from pathlib import Path

from tensorlift.cli import main

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
BAD = ROOT / "tests" / "data" / "bad"


def cli(*args, env=None, timeout=300):
    return subprocess.run([sys.executable, "-m", "tensorlift", *map(str, args)], capture_output=True,
                          text=True, timeout=timeout, env=env, cwd=ROOT)


def cli_json(*args, **kw):
    proc = cli(*args, "--json", **kw)
    return proc, json.loads(proc.stdout) if proc.stdout.strip() else None


def cli_main(capsys, *args) -> subprocess.CompletedProcess:
    """`tensorlift.cli.main` in this process, from the repository root, as `cli` would run it;
    without the start-up of a new Python, libclang, gcc and z3. The address-space and core
    limits `main` sets on its process are put back: this process runs other tests after."""
    saved = {r: resource.getrlimit(r) for r in (resource.RLIMIT_AS, resource.RLIMIT_CORE)}
    capsys.readouterr()
    try:
        with contextlib.chdir(ROOT):
            code = main([str(a) for a in args])
    finally:
        for r, limits in saved.items():
            resource.setrlimit(r, limits)
    out, err = capsys.readouterr()
    return subprocess.CompletedProcess(["tensorlift", *map(str, args)], code, out, err)


def cli_main_json(capsys, *args):
    proc = cli_main(capsys, *args, "--json")
    return proc, json.loads(proc.stdout) if proc.stdout.strip() else None


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
