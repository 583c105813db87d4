"""The kernel corpus and the expectation of each kernel.

Expectations live in a sidecar next to each kernel (`corpus/<category>/<name>.expect.json`),
never in the kernel file: the whole file is sent to the language model, which must not see
the answer.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

ROOT = Path(__file__).resolve().parent.parent / "corpus"
KERNEL_SUFFIXES = (".c", ".cc", ".cpp")
EXPECT_SUFFIX = ".expect.json"


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


def expectation_path(kernel: Path) -> Path:
    """The sidecar of a kernel file: `gemv.c` -> `gemv.expect.json`."""
    return kernel.with_suffix(EXPECT_SUFFIX)


def kernel_files(root: Path = ROOT) -> list[Path]:
    """Every kernel file under `root` (C and C++ sources; headers are not kernels)."""
    return sorted(p for p in Path(root).rglob("*") if p.suffix in KERNEL_SUFFIXES and p.is_file())


def load_corpus(paths: Optional[list[Path]] = None) -> list[Entry]:
    """Entries for the kernel files under `paths` (directories or files; default the whole
    corpus). A kernel without a sidecar is skipped: it is not a corpus kernel."""
    files: list[Path] = []
    for p in paths or [ROOT]:
        p = Path(p)
        files += kernel_files(p) if p.is_dir() else [p]
    entries = []
    for f in files:
        side = expectation_path(f)
        if not side.exists():
            continue
        d = json.loads(side.read_text())
        entries.append(Entry(f, d["function"], d["program"], bool(d.get("plain", True)), d))
    return entries
