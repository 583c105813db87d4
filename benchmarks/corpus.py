"""The kernel corpus and the expectation written at the top of each file."""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

ROOT = Path(__file__).resolve().parent.parent / "corpus"
_EXPECT = re.compile(r"\A/\* tensorlift-expect\s*\n(.*?)\*/", re.S)


@dataclass
class Entry:
    path: Path
    function: str
    program: str
    plain: bool
    expect: dict

    @property
    def name(self) -> str:
        return f"{self.path.parent.name}/{self.path.stem}"


def load_corpus(paths: Optional[list[Path]] = None) -> list[Entry]:
    files = []
    for p in paths or [ROOT]:
        p = Path(p)
        files += sorted(p.rglob("*.c")) if p.is_dir() else [p]
    entries = []
    for f in files:
        m = _EXPECT.match(f.read_text())
        if m is None:
            continue
        d = json.loads(m.group(1))
        entries.append(Entry(f, d["function"], d["program"], bool(d.get("plain", True)), d))
    return entries
