"""The Ray executor (`--executor ray [--ray-address ADDR]`): each kernel is a Ray task.

A task does not lift in the Ray worker itself: it hands the kernel to a warm tensorlift
worker, a child process that the Ray worker keeps between tasks (slot.py). So a kernel
has the same limits as with the local executor (time: timeout plus grace; memory: the
child's address-space limit), and a kernel that crashes or hangs costs only that child,
which is killed with its process group and replaced. Should the Ray worker or its node
die all the same, Ray retries the task (MAX_RETRIES) before the kernel is recorded as an
error.

Results come back as tasks finish, into the same reports and progress line as the local
executor. Without an address a local Ray instance is started for the run (a few CPUs, no
dashboard, no usage reports) and stopped after it. On a cluster, tensorlift must be
installed on every node; a node that cannot see a kernel's file gets the file's text
(but not its headers: those need a shared file system).
"""
from __future__ import annotations

import logging
import os
import socket
import tempfile
import time
from collections import deque
from pathlib import Path
from typing import Optional, Sequence

from ..errors import TensorliftError
from .local import request_for
from .records import blank_record
from .slot import Slot, worker_command
from .sources import Job

INSTALL_HINT = "pip install 'tensorlift[ray]'"
MAX_RETRIES = 2                 # of a task whose Ray worker or node died
CONNECT_SECONDS = 5.0           # to reach a cluster's address
OBJECT_STORE_BYTES = 128 << 20  # records are small; a local instance needs little shared memory


def import_ray():
    """The ray module, or TensorliftError with the install command."""
    try:
        import ray
    except ImportError:
        raise TensorliftError(f"--executor ray needs Ray: {INSTALL_HINT}") from None
    return ray


# ---------------------------------------------------------------- inside a Ray worker

_SLOT = None                    # this Ray worker's warm tensorlift worker


def _slot(command, memory_gib):
    global _SLOT
    command = list(command) if command else worker_command()
    if _SLOT is None or _SLOT.command != command or _SLOT.memory_gib != memory_gib:
        if _SLOT is not None:
            _SLOT.close()
        _SLOT = Slot(command, memory_gib)
    return _SLOT


def lift_task(request: dict, settings, worker_command: Optional[list[str]], text: Optional[bytes]):
    """A Ray task: one kernel's record, the seconds the task took, and how many worker
    processes it had to start (0 when this Ray worker's warm one served)."""
    start = time.monotonic()
    slot = _slot(worker_command, settings.memory_gib)
    before = slot.started
    if text is not None and not os.path.exists(request["file"]):
        with tempfile.TemporaryDirectory(prefix="tensorlift-ray-") as tmp:
            copy = Path(tmp) / Path(request["file"]).name
            copy.write_bytes(text)
            rec = slot.run(dict(request, file=str(copy)), settings.hard_limit)
    else:
        rec = slot.run(request, settings.hard_limit)
    return rec, time.monotonic() - start, slot.started - before


# ---------------------------------------------------------------- the driver


def _read(path: str) -> Optional[bytes]:
    try:
        return Path(path).read_bytes()
    except OSError:
        return None


def _first_line(e: BaseException) -> str:
    text = str(e).strip()
    line = next((ln.strip() for ln in text.splitlines() if ln.strip()), "")
    return f"{type(e).__name__}: {line}"[:300] if line else type(e).__name__


def check_reachable(address: str, seconds: float = CONNECT_SECONDS) -> None:
    """A HOST:PORT address must accept a connection: Ray itself waits for an absent cluster
    for ever. Other forms ("auto", "ray://...") are left to Ray."""
    host, sep, port = address.rpartition(":")
    if not sep or not port.isdigit() or "/" in address:
        return
    try:
        socket.create_connection((host.strip("[]"), int(port)), timeout=seconds).close()
    except OSError as e:
        raise TensorliftError(f"no Ray cluster at {address}: {e.strerror or e} "
                              "(start one with `ray start --head`, or leave out --ray-address)") from None


class RayExecutor:
    """Lifts each submitted job as a Ray task (the executor interface is described in
    runner.Batch). At most twice as many tasks as CPUs are in flight (`--jobs` on a cluster):
    enough to keep every CPU busy, few to cancel when the batch is interrupted."""

    name = "ray"

    def __init__(self, jobs: Optional[int], settings, worker_command: Optional[Sequence[str]] = None,
                 address: Optional[str] = None):
        import_ray()                      # Ray missing, or no cluster at the address: said now,
        if address:                       # before the batch writes any report
            check_reachable(address)
        self.jobs = jobs
        self.workers = jobs or os.cpu_count() or 1
        self.settings = settings
        self.worker_command = list(worker_command) if worker_command else None
        self.address = address
        self.busy_seconds = 0.0
        self.workers_started = 0
        self._ray = None
        self._own_instance = False
        self._task = None
        self._queue: deque[Job] = deque()
        self._pending: dict = {}          # Ray object ref -> job

    def _connect(self, ray) -> bool:
        """Join the cluster, or start a local instance; True when we started one."""
        if ray.is_initialized():
            return False
        os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")    # no reports home (no internet)
        quiet = dict(logging_level=logging.ERROR, log_to_driver=False)
        try:
            if self.address:
                ray.init(address=self.address, **quiet)
                return True
            ray.init(address="local", num_cpus=self.workers, include_dashboard=False,
                     object_store_memory=OBJECT_STORE_BYTES, **quiet)
        except Exception as e:
            where = f"the Ray cluster at {self.address}" if self.address else "a local Ray instance"
            hint = (" (a cluster started with token authentication needs RAY_AUTH_MODE=token and its "
                    "token here too: see `ray get-auth-token`)") if self.address else ""
            raise TensorliftError(f"cannot start or join {where}: {_first_line(e)}{hint}") from None
        return True

    def start(self) -> None:
        ray = import_ray()
        self._own_instance = self._connect(ray)
        self._ray = ray
        if self.jobs is None and self.address:
            self.workers = max(1, int(ray.cluster_resources().get("CPU", 1)))
        self._task = ray.remote(num_cpus=1, max_retries=MAX_RETRIES, retry_exceptions=False)(lift_task)

    def submit(self, job: Job) -> None:
        self._queue.append(job)

    def finish(self) -> None:
        pass

    @property
    def busy(self) -> bool:
        return bool(self._queue or self._pending)

    def poll(self, timeout: float) -> list[tuple[Job, dict]]:
        ray = self._ray
        # in flight: one more per CPU, so that none waits for the driver; on a cluster, --jobs
        # is a cap (a local instance has only `workers` CPUs anyway)
        window = self.workers if (self.address and self.jobs) else 2 * self.workers
        while self._queue and len(self._pending) < window:
            job = self._queue.popleft()
            ref = self._task.remote(request_for(job, self.settings), self.settings,
                                    self.worker_command, _read(job.file))
            self._pending[ref] = job
        if not self._pending:
            return []
        refs = list(self._pending)
        ready, rest = ray.wait(refs, num_returns=1, timeout=timeout)
        if ready and rest:
            more, _ = ray.wait(rest, num_returns=len(rest), timeout=0)
            ready += more
        out = []
        for ref in ready:
            job = self._pending.pop(ref)
            try:
                rec, seconds, spawned = ray.get(ref)
                self.busy_seconds += seconds
                self.workers_started += spawned
            except Exception as e:         # the task failed MAX_RETRIES + 1 times
                rec = blank_record(job.file, job.function, guide=self.settings.guide,
                                   error=f"ray task failed: {_first_line(e)}")
            out.append((job, rec))
        return out

    def close(self) -> None:
        """Cancel what is left (interrupted) and stop the instance we started (idempotent)."""
        ray, self._ray = self._ray, None
        if ray is None:
            return
        for ref in self._pending:
            try:
                ray.cancel(ref, force=True)
            except Exception:
                pass
        self._pending.clear()
        self._queue.clear()
        if self._own_instance:
            ray.shutdown()
