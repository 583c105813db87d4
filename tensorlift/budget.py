"""The time a lift may take, shared by every stage that can run long (the interpreter, the
compiled runs, the search, the proofs), and a way for a watchdog to stop them early; and the
memory a process of tensorlift may use."""
from __future__ import annotations

import math
import threading
import time
from dataclasses import dataclass, field
from typing import Optional

from .errors import KernelRunError, TensorliftError


class OutOfTime(TensorliftError):
    """The lift's time limit passed; the lift reports "failed", not an error."""


@dataclass
class Budget:
    seconds: float = math.inf
    start: float = field(default_factory=time.monotonic)
    _stop: threading.Event = field(default_factory=threading.Event)
    _why: Optional[str] = None

    @property
    def deadline(self) -> float:
        return self.start + self.seconds

    def left(self) -> float:
        return self.deadline - time.monotonic()

    def stop(self, why: str) -> None:
        """Make the next `check` fail with `why` (a watchdog found the kernel hopeless)."""
        self._why = why
        self._stop.set()

    def check(self, stage: str) -> None:
        if self._stop.is_set():
            raise KernelRunError(self._why or "stopped")
        if time.monotonic() > self.deadline:
            raise OutOfTime(f"time limit of {self.seconds:g} s reached during {stage}")


def limit_memory(gib: float) -> None:
    """An address-space limit on this process and the programs it runs, so that a kernel that
    asks for the machine ends in a one-line error instead of the OOM killer; no core files."""
    import resource
    limit = int(gib * (1 << 30))
    try:
        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    except (ValueError, OSError):
        pass
