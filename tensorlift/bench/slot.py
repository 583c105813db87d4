"""One warm worker process, seen from the batch: start it once, give it kernel after kernel,
and contain whatever a kernel does to it.

A worker runs in its own process group (it runs compilers and the compiled kernel as
children). When a kernel crashes the worker, hangs it past the timeout plus grace, or
exhausts its memory, the whole group is killed, the kernel gets an "error" record saying so
("worker crashed (SIGSEGV)", "timed out after N s", "out of memory"), and the next kernel
gets a fresh worker. A worker that had already lifted other kernels when it crashed may
have been worn down by them, so its kernel is tried once more in a fresh worker: a
kernel's record does not depend on what ran before it in the same worker.

Used by the local executor (one slot per thread) and by the Ray executor (one slot per Ray
worker process).
"""
from __future__ import annotations

import fcntl
import json
import os
import select
import signal
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Optional, Sequence

from .records import blank_record

PARENT_ENV = "TENSORLIFT_BENCH_PARENT"      # pid of the process that started the worker

READ_CHUNK = 1 << 16
_OOM_WORDS = ("MemoryError", "Cannot allocate memory", "std::bad_alloc", "out of memory",
              "failed to allocate", "Unable to allocate")


class Stopped(Exception):
    """The slot was shut down (the batch is interrupted): no record for this kernel."""


def worker_command() -> list[str]:
    return [sys.executable, "-m", "tensorlift.bench.worker"]


def worker_env() -> dict[str, str]:
    env = dict(os.environ)
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NUMEXPR_NUM_THREADS"):
        env.setdefault(var, "1")          # parallelism comes from the workers
    pkg_root = str(Path(__file__).resolve().parents[2])
    env["PYTHONPATH"] = pkg_root + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    env[PARENT_ENV] = str(os.getpid())
    return env


def _signal_name(num: int) -> str:
    try:
        return signal.Signals(num).name
    except ValueError:
        return f"signal {num}"


def classify_exit(returncode: int, stdout: str, stderr: str) -> tuple[Optional[dict], Optional[str]]:
    """A finished worker's record (if it printed one) or the error text that says why not."""
    for line in reversed(stdout.splitlines()):
        line = line.strip()
        if line.startswith("{"):
            try:
                rec = json.loads(line)
            except json.JSONDecodeError:
                continue
            if isinstance(rec, dict):
                return rec, None
    oom = any(w in stderr for w in _OOM_WORDS)
    if returncode < 0:
        name = _signal_name(-returncode)
        if oom:
            return None, f"out of memory (worker crashed with {name})"
        if -returncode == signal.SIGKILL:
            return None, "worker crashed (SIGKILL: killed from outside, possibly out of memory)"
        return None, f"worker crashed ({name})"
    if oom:
        return None, "out of memory"
    last = next((ln.strip() for ln in reversed(stderr.splitlines()) if ln.strip()), "")
    return None, f"worker exited with status {returncode} without a result" + (f": {last[:200]}" if last else "")


class Slot:
    """A warm worker and the kernels it lifts, one at a time (not thread-safe but for
    `shutdown`, which another thread may call to stop the slot at once)."""

    def __init__(self, command: Optional[Sequence[str]] = None, memory_gib: float = 4.0):
        self.command = list(command) if command else worker_command()
        self.memory_gib = memory_gib
        self.proc: Optional[subprocess.Popen] = None
        self.served = 0                   # kernels the current worker has answered
        self.started = 0                  # workers started in all
        self._buf = b""
        self._lock = threading.Lock()
        self._stopped = False
        fd, path = tempfile.mkstemp(prefix="tensorlift-worker-", suffix=".err")
        os.unlink(path)                   # nothing to clean up, whatever happens to us
        fcntl.fcntl(fd, fcntl.F_SETFL, fcntl.fcntl(fd, fcntl.F_GETFL) | os.O_APPEND)
        self._err = fd                    # the worker's stderr, emptied before each kernel

    # -- the worker process

    def _spawn(self) -> None:
        with self._lock:
            if self._stopped:
                raise Stopped
            with _interrupts_held():
                self.proc = subprocess.Popen(self.command + ["--memory", repr(self.memory_gib)],
                                             stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self._err,
                                             env=worker_env(), start_new_session=True, close_fds=True)
        self.served, self._buf = 0, b""
        self.started += 1

    def start(self) -> None:
        """Start the worker ahead of its first kernel (it imports the pipeline meanwhile)."""
        if self.proc is None:
            self._spawn()

    def _exited(self) -> bool:
        """Has the worker ended? Checked without reaping it, so that its process group id
        cannot be reused before the group is killed."""
        proc = self.proc
        if proc is None or proc.returncode is not None:
            return True
        try:
            return os.waitid(os.P_PID, proc.pid, os.WEXITED | os.WNOHANG | os.WNOWAIT) is not None
        except ChildProcessError:
            return proc.poll() is not None

    def _kill(self) -> Optional[int]:
        """SIGKILL the worker's process group (it and its compiler / kernel children), reap
        it, and return its exit status."""
        proc, self.proc = self.proc, None
        if proc is None:
            return None
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except OSError:
            try:
                proc.kill()
            except OSError:
                pass
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            pass
        _wait_for_group(proc.pid)
        for f in (proc.stdin, proc.stdout):
            try:
                f.close()
            except OSError:
                pass
        return proc.returncode

    def shutdown(self) -> None:
        """Stop for good: the worker is killed now, and a kernel in progress raises Stopped."""
        with self._lock:
            self._stopped = True
            proc = self.proc
        if proc is not None:
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except OSError:
                pass

    def close(self) -> None:
        with self._lock:
            self._stopped = True
        self._kill()
        try:
            os.close(self._err)
        except OSError:
            pass

    # -- one kernel

    def _stderr_tail(self, limit: int = 4000) -> str:
        try:
            size = os.fstat(self._err).st_size
            return os.pread(self._err, limit, max(0, size - limit)).decode("utf-8", "replace")
        except OSError:
            return ""

    def _exchange(self, request: dict, deadline: float) -> tuple[str, Optional[dict]]:
        """Send one request; ("record", rec), ("timeout", None) or ("died", None)."""
        os.ftruncate(self._err, 0)
        try:
            self.proc.stdin.write((json.dumps(request) + "\n").encode())
            self.proc.stdin.flush()
        except (BrokenPipeError, OSError, ValueError):
            return "died", None
        fd = self.proc.stdout.fileno()
        while True:
            nl = self._buf.find(b"\n")
            if nl >= 0:
                line, self._buf = self._buf[:nl], self._buf[nl + 1:]
                try:
                    rec = json.loads(line)
                except json.JSONDecodeError:
                    continue
                if isinstance(rec, dict):
                    return "record", rec
                continue
            left = deadline - time.monotonic()
            if left <= 0:
                return "timeout", None
            try:
                ready, _, _ = select.select([fd], [], [], left)
            except (OSError, ValueError):
                return "died", None
            if not ready:
                continue
            try:
                chunk = os.read(fd, READ_CHUNK)
            except OSError:
                chunk = b""
            if not chunk:
                return "died", None
            self._buf += chunk

    def run(self, request: dict, hard_limit: float) -> dict:
        """The record of one kernel (request: see worker.py), whatever happens to the worker.
        Raises Stopped when the slot is shut down meanwhile."""
        file, function, guide = request["file"], request.get("function"), request.get("guide", "auto")
        for attempt in (1, 2):
            if self._stopped:
                raise Stopped
            if self.proc is None or self._exited():
                self._kill()              # died while idle: not this kernel's doing
                try:
                    self._spawn()
                except OSError as e:      # no processes or memory left to start one
                    return blank_record(file, function, guide=guide,
                                        error=f"cannot start a worker: {e.strerror or e}")
            warm = self.served > 0
            start = time.monotonic()
            outcome, rec = self._exchange(dict(request, hard_limit=hard_limit), start + hard_limit)
            seconds = time.monotonic() - start
            if self._stopped:
                raise Stopped
            if outcome == "record":
                self.served += 1
                return rec
            if outcome == "timeout":
                self._kill()
                return blank_record(file, function, guide=guide, seconds=seconds,
                                    error=f"timed out after {hard_limit:g} s")
            returncode = self._kill()
            if self._stopped:
                raise Stopped
            rec, error = classify_exit(returncode if returncode is not None else -signal.SIGKILL,
                                       self._buf.decode("utf-8", "replace"), self._stderr_tail())
            if rec is not None:
                return rec
            if warm and attempt == 1:
                continue                  # perhaps worn down by earlier kernels: once more, fresh
            return blank_record(file, function, guide=guide, seconds=seconds, error=error)
        raise AssertionError("unreachable")


@contextmanager
def _interrupts_held():
    """Ctrl-C / SIGTERM wait until the block is done: one raised inside Popen would lose the
    worker it just started, which then outlives the batch (main thread only; handlers run
    nowhere else)."""
    held: list[int] = []
    try:
        saved = {sig: signal.signal(sig, lambda n, _: held.append(n)) for sig in (signal.SIGINT, signal.SIGTERM)}
    except ValueError:
        saved = {}
    try:
        yield
    finally:
        for sig, handler in saved.items():
            signal.signal(sig, handler)
        if held:
            signal.raise_signal(held[0])


def _wait_for_group(pgid: int, limit: float = 2.0) -> None:
    """Until no live process of the killed group is left (a kernel the worker ran, which
    nobody here reaps): SIGKILL is delivered, not waited for. Zombies do not count, since
    an init that does not reap would keep them for ever."""
    end = time.monotonic() + limit
    while time.monotonic() < end and _live_members(pgid):
        time.sleep(0.005)


def _live_members(pgid: int) -> bool:
    try:
        entries = os.listdir("/proc")
    except OSError:
        return False
    for name in entries:
        if name.isdigit():
            try:
                fields = Path(f"/proc/{name}/stat").read_text().rsplit(")", 1)[1].split()
            except (OSError, IndexError):
                continue
            if int(fields[2]) == pgid and fields[0] != "Z":
                return True
    return False
