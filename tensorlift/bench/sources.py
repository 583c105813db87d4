"""What a batch lifts: the C and C++ files under the paths, and the kernels of each file.

Listing runs in the batch process (libclang parses each file once, with the file's build
flags); each kernel then becomes a `Job` that carries the resolved flags, so that a worker,
local or on another machine, needs nothing but the job."""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional, Sequence

from ..c.flags import project_files
from ..c.frontend import parse
from ..c.project import Project
from ..errors import TensorliftError
from ..units import first_units
from .records import one_line

SOURCE_SUFFIXES = (".c", ".cc", ".cpp", ".cxx")


def find_sources(paths: Sequence[str | os.PathLike]) -> list[Path]:
    """The C/C++ files named or found (recursively, sorted) under the paths, without repeats.
    Directories and files whose name starts with '.' are skipped. A path that does not exist
    raises TensorliftError."""
    out: list[Path] = []
    seen: set[str] = set()
    for p in map(Path, paths):
        if not p.exists():
            raise TensorliftError(f"no such file or directory: {p}")
        if p.is_dir():
            found = sorted((f for f in p.rglob("*") if f.suffix in SOURCE_SUFFIXES and f.is_file()
                            and not any(part.startswith(".") for part in f.relative_to(p).parts)),
                           key=lambda f: f.relative_to(p).parts)
        else:
            found = [p]
        for f in found:
            key = os.path.realpath(f)
            if key not in seen:
                seen.add(key)
                out.append(f)
    return out


def kernel_functions(path: str | os.PathLike, function: Optional[str] = None,
                     flags: Optional[list[str]] = None,
                     language: Optional[str] = None) -> list[tuple[str, Optional[int]]]:
    """(name, line of the definition) of the kernels of a file, in source order: the
    functions that take or return arrays, but `main` (see `Unit.candidates`); with `function`,
    that function only, or [] if the file does not define it. A file that cannot be read or
    parsed, or defines no function at all, raises TensorliftError."""
    unit = parse(Path(path), flags, language)
    names = [function] if function is not None else unit.candidates()
    return [(n, unit.defs[n].location.line) for n in names if n in unit.defs]


def file_units(path: str | os.PathLike, function: Optional[str] = None, flags: Optional[list[str]] = None,
               language: Optional[str] = None, project=None) -> list[tuple[str, Optional[str], Optional[int]]]:
    """(function, region or None, first line) of what a batch lifts of a file first
    (`units.first_units`): its kernels whole, and the regions of the functions that are no
    kernels (`main`, a driver, a timing function calling what is not modelled). A kernel
    that is not lifted whole is followed by its regions once its record comes."""
    unit = parse(Path(path), flags, language, project)
    return first_units(unit, [function] if function is not None else None)


@dataclass
class Job:
    """One kernel to lift, or one file that could not be listed (error set, function None)."""
    file: str                       # as the user will read it (relative if given so)
    function: Optional[str]
    line: Optional[int] = None
    error: Optional[str] = None
    flags: list[str] = field(default_factory=list)     # resolved for this file (BuildFlags.for_file)
    language: Optional[str] = None                     # -x, else by suffix
    region: Optional[str] = None                       # "START-END": a loop nest of the function
    project: list = field(default_factory=list, repr=False)   # the other files a kernel may call into: [path, flags]

    @property
    def key(self) -> tuple[str, Optional[str], Optional[str]]:
        return (os.path.abspath(self.file), self.function, self.region)


def project_list(files: Sequence[Path], build=None) -> list:
    """[path, flags] of every file of a batch and of its compile database: where a kernel's
    calls into other files are followed."""
    out: dict[Path, list[str]] = {}
    for f in files:
        p = Path(f).resolve()
        if build is not None:
            for q, fl in project_files(p, build.build_dir, build.databases).items():
                out.setdefault(q, fl)
        out.setdefault(p, build.for_file(p) if build is not None else [])
    return [[str(p), fl] for p, fl in sorted(out.items())]


def list_jobs(files: Sequence[Path], function: Optional[str] = None, build=None, project: Optional[list] = None) -> list[Job]:
    """The jobs of the files, in order. `build` is a `BuildFlags` (the command line's -I, -D,
    ..., -p, -x); `project`: the batch's files (`project_list`). A file that cannot be listed
    is one Job with a one-line error."""
    jobs: list[Job] = []
    project = project or []
    every = Project([(Path(p), fl) for p, fl in project], build.language if build is not None else None) \
        if project else None
    for f in files:
        language = build.language if build is not None else None
        try:
            flags = build.for_file(Path(f).resolve()) if build is not None else []
            found = file_units(f, function, flags, language, every)
        except TensorliftError as e:
            jobs.append(Job(str(f), None, error=one_line(e) or "cannot read the file"))
            continue
        except RecursionError:
            jobs.append(Job(str(f), None, error="input nested too deeply to parse"))
            continue
        except Exception as e:  # libclang on odd input; a bug should not stop the batch
            jobs.append(Job(str(f), None, error=one_line(f"cannot list the functions: {type(e).__name__}: {e}")))
            continue
        jobs.extend(Job(str(f), name, line, flags=flags, language=language, region=region, project=project)
                    for name, region, line in found)
    return jobs
