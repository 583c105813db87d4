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
import os
import tempfile
from pathlib import Path
from typing import Optional

from ..errors import TensorliftError
from .page import render_html
from .records import SourceCache, field_names

FORMATS = (".json", ".csv", ".html")


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
