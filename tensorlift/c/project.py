"""The user's project: the other source files a kernel may call into, each with its own
build flags, from `compile_commands.json` or given on the command line.

A call of a function that the file only declares is followed into the body another file
of the project defines, as inlining across files would: the front end converts that body
with that file's flags, and the harness compiles that file too and links it in. Files are
parsed only when their text mentions the function asked for, and once each.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional, Sequence

from ..errors import TensorliftError
from .flags import BuildFlags, project_files
from .frontend import parse


@dataclass
class Project:
    files: list[tuple[Path, list[str]]]              # (resolved path, its flags)
    language: Optional[str] = None
    _texts: dict = field(default_factory=dict, repr=False)
    _units: dict = field(default_factory=dict, repr=False)

    def definition(self, name: str, exclude: Optional[Path] = None):
        """(unit, cursor) of the body of `name` in another file of the project, or None."""
        pattern = re.compile(rf"\b{re.escape(name)}\s*\(")
        for path, flags in self.files:
            if exclude is not None and path == exclude:
                continue
            if not pattern.search(self._text(path)):
                continue
            unit = self._unit(path, flags)
            c = unit.defs.get(name) if unit is not None else None
            if c is not None and c.location.file is not None and c.location.file.name == unit.main_file:
                return unit, c
        return None

    def _text(self, path: Path) -> str:
        if path not in self._texts:
            try:
                self._texts[path] = path.read_text(errors="replace")
            except OSError:
                self._texts[path] = ""
        return self._texts[path]

    def _unit(self, path: Path, flags: list[str]):
        if path not in self._units:
            try:
                self._units[path] = parse(path, flags, self.language, project=self)
            except TensorliftError:
                self._units[path] = None          # a file that does not parse defines nothing we can use
        return self._units[path]


def project_of(path: Optional[Path], build: Optional[BuildFlags], others: Sequence[str | Path] = ()) -> Optional[Project]:
    """The project of a file: the files of its compile database (with their flags) and the
    other files given, or None when there are none."""
    files: dict[Path, list[str]] = {}
    if path is not None:
        files.update(project_files(path, build.build_dir if build else None, build.databases if build else None))
    for f in others:
        p = Path(f).resolve()
        files.setdefault(p, build.for_file(p) if build is not None else [])
    if path is not None:
        files.pop(Path(path).resolve(), None)
    if not files:
        return None
    return Project(sorted(files.items()), build.language if build is not None else None)
