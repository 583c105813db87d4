"""Batch reports: JSON, CSV and a self-contained HTML page, written atomically.

A record is one kernel's result: every field of `LiftResult.to_json()` plus "file".
The JSON report is a list of records; the CSV has one row per record with the same
fields (empty cell for null, nested values as JSON text); the HTML page shows a
summary, a sortable table, each kernel's C source beside its lifted program, and a
cactus plot. CSV and HTML cannot be read back faithfully, so next to them a JSON
sidecar `FILE.json` (e.g. `out.html.json`) is kept: `--resume` reads that.
"""
from __future__ import annotations

import csv
import io
import json
import math
import os
import tempfile
from pathlib import Path
from typing import Iterable, Optional

from .errors import TensorliftError

# Fields every record has: "file" and the fields lift's to_json had first (it may add more).
BASE_FIELDS = ("file", "function", "status", "program", "guide", "candidates", "seconds",
               "examples_checked", "verification", "verification_bound", "error")
FORMATS = (".json", ".csv", ".html")


# ---------------------------------------------------------------- records


def blank_record(file: str, function: Optional[str], *, status: str = "error", guide: str = "static",
                 error: Optional[str] = None, seconds: float = 0.0) -> dict:
    """A record for a kernel that produced no LiftResult (bad input, crash, timeout): the
    fields of an empty LiftResult's to_json (so every record has the same fields), plus "file"."""
    rec = {"file": file, "function": function, "status": status, "program": None, "guide": guide,
           "candidates": 0, "seconds": round(seconds, 4), "examples_checked": 0,
           "verification": "not-run", "verification_bound": None, "error": error}
    try:
        from .pipeline import LiftResult
        full = LiftResult(function or "", status, guide=guide).to_json()
    except Exception:      # lift unimportable or changed: the base fields will do
        return rec
    return {"file": file, **{k: rec.get(k, v) for k, v in full.items()},
            **{k: v for k, v in rec.items() if k not in full}}


def record_key(rec: dict) -> tuple[str, Optional[str]]:
    """What identifies a kernel across runs: its file (absolute) and function."""
    return (os.path.abspath(str(rec.get("file", ""))), rec.get("function"))


def field_names(records: Iterable[dict]) -> list[str]:
    """Every field of the records, in the order they come (as lift's to_json gives them),
    "file" first; the base fields are always there."""
    names = ["file"]
    for rec in records:
        for k in rec:
            if k not in names:
                names.append(k)
    return names + [k for k in BASE_FIELDS if k not in names]


# ---------------------------------------------------------------- summary


def percentile(values: list[float], q: float) -> Optional[float]:
    """Linear-interpolated percentile (q in 0..100) of the values; None when empty."""
    if not values:
        return None
    xs = sorted(values)
    pos = (len(xs) - 1) * q / 100.0
    lo, hi = math.floor(pos), math.ceil(pos)
    return xs[lo] + (xs[hi] - xs[lo]) * (pos - lo)


def _secs(rec: dict) -> float:
    try:
        return float(rec.get("seconds") or 0.0)
    except (TypeError, ValueError):
        return 0.0


def summarize(records: list[dict]) -> dict:
    """Counts and times over the records. `verified` counts verification == "proved";
    `failed` is a lift that found nothing, `errors` a kernel that could not be lifted at all."""
    times = [_secs(r) for r in records]
    return {
        "kernels": len(records),
        "lifted": sum(r.get("status") == "lifted" for r in records),
        "verified": sum(r.get("verification") == "proved" for r in records),
        "failed": sum(r.get("status") == "failed" for r in records),
        "errors": sum(r.get("status") not in ("lifted", "failed") for r in records),
        "median_seconds": percentile(times, 50),
        "p95_seconds": percentile(times, 95),
        "total_kernel_seconds": sum(times),
    }


def _fmt_s(x: Optional[float]) -> str:
    return "-" if x is None else f"{x:.2f} s"


def summary_lines(summary: dict, wall_seconds: Optional[float] = None,
                  busy_seconds: Optional[float] = None, resumed: int = 0,
                  jobs: Optional[int] = None) -> list[str]:
    """`busy_seconds`: the workers' lifetimes added up; busy / wall is the parallel speed-up."""
    """The summary table printed at the end of a batch."""
    n = summary["kernels"]

    def pct(k):
        return f"{summary[k]:>6}" + (f"  ({100.0 * summary[k] / n:.1f}%)" if n else "")

    lines = [
        f"{'kernels':<22}{n:>6}" + (f"  ({resumed} from the earlier report)" if resumed else ""),
        f"{'lifted':<22}{pct('lifted')}",
        f"{'verified (proved)':<22}{pct('verified')}",
        f"{'failed':<22}{pct('failed')}",
        f"{'errors':<22}{pct('errors')}",
        f"{'median per kernel':<22}{_fmt_s(summary['median_seconds']):>8}",
        f"{'95th percentile':<22}{_fmt_s(summary['p95_seconds']):>8}",
        f"{'sum of kernel times':<22}{_fmt_s(summary['total_kernel_seconds']):>8}",
    ]
    if wall_seconds is not None:
        line = f"{'wall clock':<22}{_fmt_s(wall_seconds):>8}"
        if busy_seconds and wall_seconds > 0:
            line += (f"  ({f'{jobs} ' if jobs else ''}workers busy {busy_seconds:.2f} s in all: "
                     f"{busy_seconds / wall_seconds:.1f}x parallel speed-up)")
        lines.append(line)
    return lines


# ---------------------------------------------------------------- writing


def atomic_write(path: Path, text: str) -> None:
    """Write the whole file or nothing: a temp file beside it, then os.replace."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=str(path.parent or "."))
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            f.write(text)
        os.chmod(tmp, 0o666 & ~_umask())      # mkstemp makes 0600; a report is a normal file
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def report_format(path: Path) -> str:
    ext = Path(path).suffix.lower()
    if ext not in FORMATS:
        raise TensorliftError(f"unknown report format '{ext or Path(path).name}' "
                              f"(use a file ending in {', '.join(FORMATS)})")
    return ext


def sidecar(path: Path) -> Path:
    """The JSON file that --resume reads for a report."""
    path = Path(path)
    return path if report_format(path) == ".json" else path.with_name(path.name + ".json")


def render_json(records: list[dict]) -> str:
    return json.dumps(records, indent=1) + "\n"


def render_csv(records: list[dict]) -> str:
    names = field_names(records)
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(names)
    for rec in records:
        row = []
        for k in names:
            v = rec.get(k)
            if v is None:
                row.append("")
            elif isinstance(v, (dict, list, tuple)):
                row.append(json.dumps(v))
            elif isinstance(v, bool):
                row.append("true" if v else "false")
            else:
                row.append(str(v))
        w.writerow(row)
    return buf.getvalue()


def write_report(path: Path, records: list[dict], meta: Optional[dict] = None,
                 sources: Optional["SourceCache"] = None) -> None:
    """Write one report (format by extension) and, for CSV/HTML, its JSON sidecar."""
    path = Path(path)
    fmt = report_format(path)
    if fmt == ".json":
        atomic_write(path, render_json(records))
        return
    atomic_write(sidecar(path), render_json(records))
    if fmt == ".csv":
        atomic_write(path, render_csv(records))
    else:
        from .report_page import render_html
        atomic_write(path, render_html(records, meta or {}, sources or SourceCache()))


def read_report(path: Path) -> list[dict]:
    """The records of an earlier report (its JSON, or the sidecar of a CSV/HTML report).
    A missing file gives []; a file that is not a report raises TensorliftError."""
    src = sidecar(Path(path))
    try:
        text = src.read_text(encoding="utf-8")
    except FileNotFoundError:
        return []
    except OSError as e:
        raise TensorliftError(f"cannot read report {src}: {e.strerror}") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as e:
        raise TensorliftError(f"report {src} is not valid JSON: {e.msg} at line {e.lineno}") from None
    if not isinstance(data, list) or not all(isinstance(r, dict) and "file" in r for r in data):
        raise TensorliftError(f"report {src} is not a list of kernel records")
    return data


# ---------------------------------------------------------------- C sources for the page


class SourceCache:
    """Reads each C file once; gives a function's text (its definition) or the whole file."""

    def __init__(self, lines: Optional[dict[tuple[str, str], int]] = None):
        self.lines = dict(lines or {})      # (abs file, function) -> line of the definition
        self._files: dict[str, Optional[str]] = {}

    def file_text(self, file: str) -> Optional[str]:
        key = os.path.abspath(file)
        if key not in self._files:
            try:
                self._files[key] = Path(key).read_text(errors="replace")
            except OSError:
                self._files[key] = None
        return self._files[key]

    def function_text(self, file: str, function: Optional[str]) -> Optional[str]:
        text = self.file_text(file)
        if text is None or function is None:
            return text
        line = self.lines.get((os.path.abspath(file), function))
        if line is None:
            line = _find_definition_line(text, function)
        if line is None:
            return text
        return extract_function(text, line) or text


def _find_definition_line(text: str, function: str) -> Optional[int]:
    """1-based line where `function(` appears followed (later) by a `{` before any `;`."""
    import re
    pat = re.compile(r"\b" + re.escape(function) + r"\s*\(")
    for m in pat.finditer(text):
        rest = text[m.end():]
        brace, semi = rest.find("{"), rest.find(";")
        if brace != -1 and (semi == -1 or brace < semi):
            return text.count("\n", 0, m.start()) + 1
    return None


def extract_function(text: str, line: int) -> Optional[str]:
    """The definition starting at `line` (1-based): up to the brace closing its body.
    Comments, strings and character constants are skipped when counting braces."""
    lines = text.splitlines(keepends=True)
    if not 1 <= line <= len(lines):
        return None
    start = sum(len(x) for x in lines[:line - 1])
    # a return type written on the line before (`static void\nname(...)`)
    if line >= 2 and lines[line - 2].strip() and not lines[line - 2].rstrip().endswith((";", "}", "*/", "{")) \
            and not lines[line - 2].lstrip().startswith(("#", "//")):
        start -= len(lines[line - 2])
    i, n, depth, opened = start, len(text), 0, False
    while i < n:
        c = text[i]
        if text.startswith("/*", i):
            j = text.find("*/", i + 2)
            i = n if j == -1 else j + 2
            continue
        if text.startswith("//", i):
            j = text.find("\n", i)
            i = n if j == -1 else j
            continue
        if c in "\"'":
            j = i + 1
            while j < n and text[j] != c and text[j] != "\n":
                j += 2 if text[j] == "\\" else 1
            i = j + 1
            continue
        if c == "{":
            depth += 1
            opened = True
        elif c == "}":
            depth -= 1
            if opened and depth == 0:
                return text[start:i + 1] + "\n"
        elif c == ";" and not opened and depth == 0:
            return None       # a declaration, not a definition
        i += 1
    return None
