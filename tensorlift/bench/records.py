"""Batch records: one kernel's result as a dict, summaries over many, and the C source
each came from (for the HTML page)."""
from __future__ import annotations

import math
import os
from pathlib import Path
from typing import Iterable, Optional

from ..pipeline import LiftResult

# Fields every record has: "file" and the fields lift's to_json had first (it may add more).
BASE_FIELDS = ("file", "function", "status", "program", "guide", "candidates", "seconds",
               "examples_checked", "verification", "verification_bound", "error")


# ---------------------------------------------------------------- records


def one_line(text) -> str:
    """The first line of a text that is not blank, stripped ("" for none)."""
    return next((ln.strip() for ln in str(text or "").splitlines() if ln.strip()), "")


def blank_record(file: str, function: Optional[str], *, status: str = "error", guide: str = "static",
                 error: Optional[str] = None, seconds: float = 0.0) -> dict:
    """A record for a kernel that produced no LiftResult (bad input, crash, timeout): the
    fields of an empty LiftResult's to_json (so every record has the same fields), plus "file"."""
    rec = {"file": file, "function": function, "status": status, "program": None, "guide": guide,
           "candidates": 0, "seconds": round(seconds, 4), "examples_checked": 0,
           "verification": "not-run", "verification_bound": None, "error": error}
    full = LiftResult(function or "", status, guide=guide).to_json()
    return {"file": file, **{k: rec.get(k, v) for k, v in full.items()},
            **{k: v for k, v in rec.items() if k not in full}}


def record_key(rec: dict) -> tuple[str, Optional[str], Optional[str]]:
    """What identifies a kernel across runs: its file (absolute), function and region."""
    return (os.path.abspath(str(rec.get("file", ""))), rec.get("function"), rec.get("region"))


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


INTERRUPTED = "interrupted"
"""The status of a kernel the batch listed but had not lifted when it was interrupted."""


def verdict(rec: dict) -> str:
    """What a kernel came to, in words: "lifted, proved", "lifted, not proved" (it passed the
    examples, and the proof did not hold or was not run), or its status."""
    status = rec.get("status") or "?"
    if status != "lifted":
        return status
    return "lifted, proved" if rec.get("verification") == "proved" else "lifted, not proved"


def with_verdict(rec: dict) -> dict:
    """The record with its "verdict" (see `verdict`) after its "status"."""
    out = {}
    for k, v in rec.items():
        if k != "verdict":
            out[k] = v
        if k == "status":
            out["verdict"] = verdict(rec)
    return out


def proof_scope(rec: dict) -> str:
    """What a proof covered ("all sizes", "sizes <= 3", "fixed sizes"); "" when not proved."""
    if rec.get("verification") != "proved":
        return ""
    scope, bound = rec.get("verification_scope"), rec.get("verification_bound")
    if scope == "all-sizes":
        return "all sizes"
    if scope == "fixed-sizes" or bound is None:
        return "fixed sizes"
    return f"sizes <= {bound}"


def verdict_detail(rec: dict) -> str:
    """The verdict's reason in one line: what a proof covered, why a program is not proved,
    or why a kernel was not lifted."""
    if rec.get("status") == "lifted":
        if rec.get("verification") == "proved":
            return f"proved for {proof_scope(rec)}"
        if rec.get("verification") == "not-run":
            return "not proved: verification was not run"
        return f"not proved: {rec.get('verification_reason') or 'the prover gave no reason'}"
    return rec.get("error") or rec.get("searched") or ""


def summarize(records: list[dict]) -> dict:
    """Counts and times over the records. `verified` counts verification == "proved", with
    `proved_scopes` what each proof covered and `all_sizes` those proved for every size;
    `unproved` a kernel lifted but not proved; `failed` is a lift that found nothing, `errors`
    a kernel that could not be lifted at all, `interrupted` one the batch did not get to."""
    times = [_secs(r) for r in records if r.get("status") != INTERRUPTED]
    scopes: dict[str, int] = {}
    for r in records:
        if r.get("status") == "lifted" and r.get("verification") == "proved":
            scopes[proof_scope(r)] = scopes.get(proof_scope(r), 0) + 1
    return {
        "kernels": len(records),
        "lifted": sum(r.get("status") == "lifted" for r in records),
        "verified": sum(r.get("verification") == "proved" for r in records),
        "unproved": sum(verdict(r) == "lifted, not proved" for r in records),
        "proved_scopes": dict(sorted(scopes.items())),
        "all_sizes": scopes.get("all sizes", 0),
        "failed": sum(r.get("status") == "failed" for r in records),
        "errors": sum(r.get("status") not in ("lifted", "failed", INTERRUPTED) for r in records),
        "interrupted": sum(r.get("status") == INTERRUPTED for r in records),
        "median_seconds": percentile(times, 50),
        "p95_seconds": percentile(times, 95),
        "total_kernel_seconds": sum(times),
    }


def scope_counts(summary: dict) -> str:
    """`5 for all sizes, 3 for sizes <= 3`."""
    return ", ".join(f"{k} for {scope}" for scope, k in summary["proved_scopes"].items())


def _fmt_s(x: Optional[float]) -> str:
    return "-" if x is None else f"{x:.2f} s"


def summary_lines(summary: dict, wall_seconds: Optional[float] = None,
                  busy_seconds: Optional[float] = None, resumed: int = 0,
                  jobs: Optional[int] = None) -> list[str]:
    """The summary table printed at the end of a batch. `busy_seconds`: the workers'
    lifetimes added up; busy / wall is the parallel speed-up."""
    n = summary["kernels"]

    def pct(k):
        return f"{summary[k]:>6}" + (f"  ({100.0 * summary[k] / n:.1f}%)" if n else "")

    scopes = scope_counts(summary)
    lines = [
        f"{'kernels':<22}{n:>6}" + (f"  ({resumed} from the earlier report)" if resumed else ""),
        f"{'lifted':<22}{pct('lifted')}",
        f"{'verified (proved)':<22}{pct('verified')}" + (f": {scopes}" if scopes else ""),
        f"{'lifted, not proved':<22}{pct('unproved')}",
        f"{'failed':<22}{pct('failed')}",
        f"{'errors':<22}{pct('errors')}",
        *([f"{'interrupted':<22}{pct('interrupted')}  (not lifted yet: --resume lifts them)"]
          if summary["interrupted"] else []),
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

    def function_text(self, file: str, function: Optional[str], region: Optional[str] = None) -> Optional[str]:
        """A function's definition, or a region's lines ("START-END") of it."""
        text = self.file_text(file)
        if text is None or function is None:
            return text
        if region:
            start, end = (int(x) for x in region.split("-"))
            return "".join(text.splitlines(keepends=True)[start - 1:end]) or text
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
