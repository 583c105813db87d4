"""The local executor: `--jobs N` warm workers on this machine.

Each of N threads owns a slot (one warm worker process, see slot.py) and takes the next
kernel from a shared queue; results come back to the batch in the order they finish. The
threads only wait on pipes, so the batch process stays free to write reports."""
from __future__ import annotations

import os
import queue
import threading
import time
from typing import Iterator, Optional, Sequence

from .slot import Slot, Stopped
from .sources import Job

TICK_SECONDS = 0.25            # how often the caller gets a chance to redraw the progress bar


def request_for(job: Job, settings) -> dict:
    """What a worker needs to lift one kernel (see worker.py)."""
    return {"file": os.path.abspath(job.file), "function": job.function, "timeout": settings.timeout,
            "guide": settings.guide, "require_proof": settings.require_proof,
            "flags": list(job.flags), "language": job.language}


class LocalExecutor:
    """Runs jobs in `workers` warm worker processes; `results` yields (job, record) as each
    finishes, and None every TICK_SECONDS while nothing does."""

    name = "local"

    def __init__(self, workers: int, settings, worker_command: Optional[Sequence[str]] = None):
        self.workers = max(1, workers)
        self.settings = settings
        self.worker_command = worker_command
        self.workers_started = 0
        self.busy_seconds = 0.0           # time the workers spent on kernels, added up
        self._busy_lock = threading.Lock()
        self._slots: list[Slot] = []

    def prepare(self) -> None:
        """Start the workers now, so that their imports overlap the listing of the files."""
        while len(self._slots) < self.workers:
            slot = Slot(self.worker_command, self.settings.memory_gib)
            self._slots.append(slot)
            try:
                slot.start()
            except OSError:                   # each kernel will say so (slot.run)
                pass

    def close(self) -> None:
        """Stop every worker (idempotent)."""
        slots, self._slots = self._slots, []
        for s in slots:
            s.close()
        self.workers_started += sum(s.started for s in slots)

    def results(self, jobs: list[Job]) -> Iterator[Optional[tuple[Job, dict]]]:
        todo: "queue.SimpleQueue[Job]" = queue.SimpleQueue()
        for job in jobs:
            todo.put(job)
        done: "queue.SimpleQueue[tuple]" = queue.SimpleQueue()
        n = min(self.workers, len(jobs))
        while len(self._slots) < n:
            self._slots.append(Slot(self.worker_command, self.settings.memory_gib))
        slots = self._slots[:n]
        for extra in self._slots[n:]:         # more workers than kernels
            extra.close()
        hard_limit = self.settings.hard_limit

        def lane(slot: Slot) -> None:
            try:
                while True:
                    try:
                        job = todo.get_nowait()
                    except queue.Empty:
                        return
                    start = time.monotonic()
                    rec = slot.run(request_for(job, self.settings), hard_limit)
                    with self._busy_lock:
                        self.busy_seconds += time.monotonic() - start
                    done.put((job, rec))
            except Stopped:
                pass
            except BaseException as e:       # a bug of ours: the batch must not wait forever
                done.put((None, e))
            finally:
                done.put(None)                # this lane is finished

        threads = [threading.Thread(target=lane, args=(s,), daemon=True, name=f"bench-lane-{i}")
                   for i, s in enumerate(slots)]
        try:
            for t in threads:
                t.start()
            running = len(threads)
            while running:
                try:
                    item = done.get(timeout=TICK_SECONDS)
                except queue.Empty:
                    yield None
                    continue
                if item is None:
                    running -= 1
                    continue
                job, rec = item
                if job is None:
                    raise rec
                yield job, rec
        finally:
            for s in slots:                   # interrupted or done: no worker outlives the batch
                s.shutdown()
            for t in threads:
                t.join(timeout=10)
            self.close()
