"""The progress of a batch: a live bar on a terminal, one plain line per kernel otherwise."""
from __future__ import annotations

import shutil
import time
from typing import Optional, TextIO

from .records import one_line, verdict, verdict_detail


def _clock(seconds: float) -> str:
    s = int(round(seconds))
    return f"{s // 3600}:{s // 60 % 60:02d}:{s % 60:02d}" if s >= 3600 else f"{s // 60}:{s % 60:02d}"


class Progress:
    """A live bar on a terminal (redrawn in place); one plain line per kernel otherwise."""

    def __init__(self, stream: Optional[TextIO], total: int, tty: Optional[bool] = None):
        self.stream = stream
        self.total = total
        self.done = 0
        self.lifted = 0
        self.unproved = 0             # lifted, but not proved
        self.start = time.monotonic()
        self.tty = bool(stream is not None and (stream.isatty() if tty is None else tty))
        self._last_draw = 0.0

    def _write(self, text: str) -> None:
        if self.stream is None:
            return
        try:
            self.stream.write(text)
            self.stream.flush()
        except (OSError, ValueError):
            pass

    def line_for(self, rec: dict) -> str:
        """`[3/7] lifted, proved      dot.c:dot  0.10 s  dot = a(i) * b(i)  (proved for all sizes)`"""
        name = f"{rec.get('file')}" + (f":{rec['function']}" if rec.get("function") else "") + \
            (f":{rec['region']}" if rec.get("region") else "")
        detail = one_line(verdict_detail(rec))
        what = f"{one_line(rec.get('program'))}  ({detail})" if rec.get("status") == "lifted" else detail
        secs = rec.get("seconds") or 0.0
        width = len(str(self.total))
        return (f"[{self.done:>{width}}/{self.total}] {verdict(rec):<18} {name}  {float(secs):.2f} s"
                + (f"  {what[:300]}" if what else ""))

    def result(self, rec: dict) -> None:
        self.done += 1
        self.lifted += rec.get("status") == "lifted"
        self.unproved += verdict(rec) == "lifted, not proved"
        if self.stream is None:
            return
        if self.tty:
            if verdict(rec) != "lifted, proved":   # what went wrong scrolls above the bar
                self._write("\r\x1b[K" + self.line_for(rec) + "\n")
            self.draw(force=True)
        else:
            self._write(self.line_for(rec) + "\n")

    def listing(self, done: int, files: int) -> None:
        """While the files are listed (before any kernel starts): how far the listing is."""
        if self.tty:
            self._write(f"\r\x1b[Klisting the kernels of {files} file(s): {done}/{files}")

    def draw(self, force: bool = False) -> None:
        if not self.tty:
            return
        now = time.monotonic()
        if not force and now - self._last_draw < 0.25:
            return
        self._last_draw = now
        elapsed = now - self.start
        eta = (elapsed / self.done * (self.total - self.done)) if self.done else None
        cols = shutil.get_terminal_size((80, 24)).columns
        text = (f" {self.done}/{self.total} kernels  lifted {self.lifted} ({self.unproved} not proved)"
                f"  elapsed {_clock(elapsed)}"
                f"  remaining {'?' if eta is None else '~' + _clock(eta)}")
        width = max(10, min(40, cols - len(text) - 3))
        filled = int(width * self.done / self.total) if self.total else width
        bar = "[" + "#" * filled + "." * (width - filled) + "]"
        self._write("\r\x1b[K" + (bar + text)[:max(1, cols - 1)])

    def close(self) -> None:
        if self.tty:
            self.draw(force=True)
            self._write("\n")
