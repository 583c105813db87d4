"""The local executor: `--jobs N` warm workers on this machine.

Each of N threads owns a slot (one warm worker process, see slot.py) and takes the next
kernel from a shared queue as soon as it is submitted; results come back in the order they
finish. The threads only wait on pipes, so the batch process stays free to list files and
write reports meanwhile."""
from __future__ import annotations

import os
import queue
import threading
import time
from typing import Optional, Sequence

from .slot import Slot, Stopped
from .sources import Job


def request_for(job: Job, settings) -> dict:
    """What a worker needs to lift one kernel (see worker.py)."""
    return {"file": os.path.abspath(job.file), "function": job.function, "region": job.region,
            "timeout": settings.timeout, "guide": settings.guide, "require_proof": settings.require_proof,
            "verify": settings.verify, "bound": settings.bound, "targets": list(settings.targets),
            "flags": list(job.flags), "language": job.language, "project": job.project}


class LocalExecutor:
    """Lifts submitted jobs in `workers` warm worker processes (the executor interface is
    described in runner.Batch)."""

    name = "local"

    def __init__(self, workers: int, settings, worker_command: Optional[Sequence[str]] = None):
        self.workers = max(1, workers)
        self.settings = settings
        self.worker_command = worker_command
        self.workers_started = 0
        self.busy_seconds = 0.0           # time the workers spent on kernels, added up
        self._lock = threading.Lock()
        self._slots: list[Slot] = []
        self._threads: list[threading.Thread] = []
        self._todo: "queue.SimpleQueue[Optional[Job]]" = queue.SimpleQueue()
        self._done: "queue.SimpleQueue[tuple]" = queue.SimpleQueue()
        self._pending = 0                 # submitted, no record yet

    def start(self) -> None:
        """Start the workers (they import the pipeline while the batch lists the files)."""
        for i in range(self.workers - len(self._slots)):
            slot = Slot(self.worker_command, self.settings.memory_gib)
            self._slots.append(slot)
            try:
                slot.start()
            except OSError:               # each of its kernels will say so (slot.run)
                pass
            t = threading.Thread(target=self._lane, args=(slot,), daemon=True, name=f"bench-lane-{i}")
            self._threads.append(t)
            t.start()

    def _lane(self, slot: Slot) -> None:
        hard_limit = self.settings.hard_limit
        try:
            while (job := self._todo.get()) is not None:
                start = time.monotonic()
                rec = slot.run(request_for(job, self.settings), hard_limit)
                with self._lock:
                    self.busy_seconds += time.monotonic() - start
                self._done.put((job, rec))
        except Stopped:
            pass
        except BaseException as e:       # a bug of ours: the batch must not wait for ever
            self._done.put((None, e))

    def submit(self, job: Job) -> None:
        self._pending += 1
        self._todo.put(job)

    def finish(self) -> None:
        for _ in self._threads:
            self._todo.put(None)

    @property
    def busy(self) -> bool:
        return self._pending > 0

    def poll(self, timeout: float) -> list[tuple[Job, dict]]:
        out: list[tuple[Job, dict]] = []
        try:
            item = self._done.get(timeout=timeout) if timeout > 0 else self._done.get_nowait()
            while True:
                job, rec = item
                if job is None:
                    raise rec
                self._pending -= 1
                out.append((job, rec))
                item = self._done.get_nowait()
        except queue.Empty:
            pass
        return out

    def close(self) -> None:
        """Stop every worker now (idempotent): no worker outlives the batch."""
        slots, self._slots = self._slots, []
        threads, self._threads = self._threads, []
        for s in slots:
            s.shutdown()
        for _ in threads:
            self._todo.put(None)
        for t in threads:
            if t.ident is not None:       # an interrupt can come between creating and starting it
                t.join(timeout=10)
        for s in slots:
            s.close()
        self.workers_started += sum(s.started for s in slots)
