"""Running the CLI as a user does (a subprocess of the installed package), or in this process
where a test is about what the CLI prints and returns rather than about the process."""
import contextlib
import importlib
import json
import os
import resource
import signal
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
    """The command's first JSON record: the function's (the regions of a function not lifted
    follow it, one per line)."""
    proc = cli(*args, "--json", **kw)
    return proc, json.loads(proc.stdout.splitlines()[0]) if proc.stdout.strip() else None


class Overran(BaseException):
    """`cli_main` past its time limit (a BaseException: `main` turns every Exception into an
    exit code, and this must end the test instead)."""


def cli_main(capfd, *args, timeout=300) -> subprocess.CompletedProcess:
    """`tensorlift.cli.main` in this process, from the repository root, as `cli` would run it,
    with the same time limit; without the start-up of a new Python, libclang, gcc and z3. The
    address-space limit `main` sets on its process is put back, as this process runs other
    tests after (the core-file limit it sets to 0 cannot be raised again, and a test process
    needs none)."""
    def overran(signum, frame):
        raise Overran(f"tensorlift {' '.join(map(str, args))} ran past {timeout} s")
    saved = resource.getrlimit(resource.RLIMIT_AS)
    old_handler = signal.signal(signal.SIGALRM, overran)
    signal.alarm(timeout)
    capfd.readouterr()
    try:
        with contextlib.chdir(ROOT):
            code = main([str(a) for a in args])
    except SystemExit as e:          # a usage error or --version, which end the process
        code = e.code if isinstance(e.code, int) else 0 if e.code is None else 1
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old_handler)
        resource.setrlimit(resource.RLIMIT_AS, saved)
    out, err = capfd.readouterr()      # the compilers' and workers' output too, as a subprocess's
    return subprocess.CompletedProcess(["tensorlift", *map(str, args)], code, out, err)


def cli_main_json(capfd, *args, **kw):
    """As `cli_json`, in this process."""
    proc = cli_main(capfd, *args, "--json", **kw)
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
