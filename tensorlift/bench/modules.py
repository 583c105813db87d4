"""`bench --emit DIR`: one module per source file and target, holding every lifted kernel of
the file (the code the worker checked on the kernel's examples, in the record's "code").

`src/blas/gemv.c` under the inputs' common directory `src` becomes `DIR/blas/gemv_numpy.py`
(`gemv.taco`, `gemv_torch.py`, ...). A kernel of the file that is not in a module is named
at its top with the reason, in a comment."""
from __future__ import annotations

import os
from pathlib import Path

from ..backends import SUFFIX, combine
from ..errors import TensorliftError
from .report import atomic_write


def module_stems(files: list[str]) -> dict[str, Path]:
    """Each source file (absolute) -> its modules' path without the target suffix, relative
    to the directory the files share. Two files of one stem (`a.c`, `a.cpp`) keep their
    suffix in it (`a_c`, `a_cpp`)."""
    absolute = sorted({os.path.abspath(f) for f in files})
    root = os.path.commonpath([os.path.dirname(f) for f in absolute]) if absolute else ""
    stems = {f: Path(os.path.relpath(f, root)).with_suffix("") for f in absolute}
    seen: dict[Path, int] = {}
    for s in stems.values():
        seen[s] = seen.get(s, 0) + 1
    return {f: s if seen[s] == 1 else s.with_name(f"{s.name}_{Path(f).suffix.lstrip('.')}")
            for f, s in stems.items()}


def write_modules(directory: Path, records: list[dict], targets) -> list[Path]:
    """Write the modules of every file with a kernel that has code; returns their paths."""
    by_file: dict[str, list[dict]] = {}
    for rec in records:
        if rec.get("function") is not None:
            by_file.setdefault(os.path.abspath(str(rec.get("file", ""))), []).append(rec)
    stems = module_stems(list(by_file))
    written = []
    for file, recs in by_file.items():
        for target in targets:
            sources = [r["code"][target] for r in recs if target in (r.get("code") or {})]
            if not sources:
                continue
            left = [f"{r['function']} ({_why_not(r, target)})" for r in recs if target not in (r.get("code") or {})]
            note = "".join(f"# not in this module: {x}\n" for x in left)
            text = combine(target, sources, f"{len(sources)} kernel(s) of {Path(file).name}")
            path = Path(directory) / f"{stems[file]}{SUFFIX[target]}"
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                atomic_write(path, note + text if target == "taco" else _after_docstring(text, note))
            except OSError as e:
                raise TensorliftError(f"cannot write {path}: {e.strerror}") from None
            written.append(path)
    return written


def _why_not(rec: dict, target: str) -> str:
    if rec.get("status") != "lifted":
        return f"{rec.get('status')}: {rec.get('error') or rec.get('searched') or 'no reason given'}"
    return (rec.get("code_errors") or {}).get(target) or f"lifted without --target {target}"


def _after_docstring(text: str, note: str) -> str:
    """The note after the module's docstring line (which stays the first line)."""
    first, rest = text.split("\n", 1)
    return f"{first}\n{note}{rest}" if note else text
