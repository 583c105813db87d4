"""Build flags as the user's build has them: `-I`, `-D`, `-U`, `-std`, `--cflags`, and the
file's entry in a `compile_commands.json` found the way clang tools find it (in the file's
directory or a parent, or in the directory given with `-p`). The same flags parse the file
and compile it."""
from __future__ import annotations

import json
import os
import shlex
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional, Sequence

from ..errors import TensorliftError

KEEP = ("-I", "-D", "-U", "-std=", "-isystem", "-iquote", "-include", "-x", "-f", "-m")
"""Options of a compile command that matter for parsing and compiling one file; output,
warning and optimisation options are dropped (the harness chooses its own)."""
_WITH_ARG = {"-I", "-D", "-U", "-isystem", "-iquote", "-include", "-x", "-o", "-MF", "-MT", "-MQ"}
_DROP_F = ("-fsanitize", "-fprofile", "-fcoverage", "-fdiagnostics", "-fcolor", "-flto",
           "-fopenmp")


@dataclass
class BuildFlags:
    """What the command line said; `for_file` resolves it for one source file."""
    includes: list[str] = field(default_factory=list)
    defines: list[str] = field(default_factory=list)
    undefines: list[str] = field(default_factory=list)
    std: Optional[str] = None
    cflags: list[str] = field(default_factory=list)
    build_dir: Optional[str] = None
    language: Optional[str] = None          # "c" | "c++" (-x), else from the suffix
    databases: dict = field(default_factory=dict, repr=False, compare=False)   # read once (database_flags)

    def for_file(self, path: Optional[Path]) -> list[str]:
        """Flags for one file: its compile_commands.json entry first (when there is one),
        then what the command line adds."""
        out = database_flags(path, self.build_dir, self.databases) if path is not None else []
        out += [f"-I{os.path.abspath(i)}" for i in self.includes]
        out += [f"-D{d}" for d in self.defines] + [f"-U{u}" for u in self.undefines]
        out += self.cflags
        if self.std:
            out = [f for f in out if not f.startswith("-std=")] + [f"-std={self.std}"]
        return out

    @staticmethod
    def of_options(args) -> "BuildFlags":
        """The build flags the command line's input options give (options.add_input_options)."""
        return BuildFlags(args.includes, args.defines, args.undefines, args.std,
                          split_cflags(args.cflags), args.build_dir, args.language)


def include_roots(flags: Sequence[str]) -> list[Path]:
    """The `-I` directories of resolved flags, resolved (links followed), as libclang names
    the headers found in them."""
    return [Path(a[2:]).resolve() for a in flags if a.startswith("-I") and len(a) > 2]


def split_cflags(text: str) -> list[str]:
    try:
        return shlex.split(text)
    except ValueError as e:
        raise TensorliftError(f"cannot read --cflags: {e}") from None


def find_database(path: Path, build_dir: Optional[str]) -> Optional[Path]:
    if build_dir is not None:
        db = Path(build_dir) / "compile_commands.json"
        if not db.is_file():
            raise TensorliftError(f"no compile_commands.json in {build_dir}")
        return db
    for d in [path.parent, *path.parent.parents]:
        db = d / "compile_commands.json"
        if db.is_file():
            return db
    return None


def database_flags(path: Path, build_dir: Optional[str] = None, read: Optional[dict] = None) -> list[str]:
    """The flags of `path`'s entry in the compile database, with relative include paths made
    absolute against the entry's directory; [] when there is no database or no entry.
    `read`: databases already read (path -> their entries' flags by file), kept by the caller
    so that a batch over many files reads its database once."""
    return project_files(path, build_dir, read).get(Path(path).resolve(), [])


def project_files(path: Path, build_dir: Optional[str] = None, read: Optional[dict] = None) -> dict[Path, list[str]]:
    """Every file of the compile database `path` belongs to, with its flags ({} when there is
    no database)."""
    db = find_database(Path(path).resolve(), build_dir)
    if db is None:
        return {}
    read = {} if read is None else read
    if db not in read:
        read[db] = _read_database(db)
    return read[db]


def _read_database(db: Path) -> dict[Path, list[str]]:
    """Each file's flags (its first entry's, as clang tools take them)."""
    try:
        entries = json.loads(db.read_text())
    except (OSError, ValueError) as e:
        raise TensorliftError(f"cannot read {db}: {e}") from None
    if not isinstance(entries, list):
        raise TensorliftError(f"{db} is not a list of compile commands")
    out: dict[Path, list[str]] = {}
    for entry in entries:
        if not isinstance(entry, dict):
            continue
        directory = Path(entry.get("directory") or db.parent)
        file = Path(entry.get("file", ""))
        if not file.is_absolute():
            file = directory / file
        file = file.resolve()
        if file not in out:
            args = entry.get("arguments")
            if args is None:
                args = split_cflags(entry.get("command", ""))
            out[file] = _relevant(args[1:], directory)
    return out


def _relevant(args: Sequence[str], directory: Path) -> list[str]:
    out: list[str] = []
    it = iter(args)
    for a in it:
        if a in _WITH_ARG:
            opt, value = a, next(it, None)
        elif a[:2] in ("-I", "-D", "-U") and len(a) > 2:
            opt, value = a[:2], a[2:]
        else:
            opt, value = a, None
        if opt in ("-o", "-MF", "-MT", "-MQ") or not opt.startswith(KEEP) or opt.startswith(_DROP_F):
            continue
        if opt in ("-I", "-isystem", "-iquote", "-include") and value and not os.path.isabs(value):
            value = str(directory / value)
        if opt in ("-I", "-D", "-U"):
            out.append(opt + (value or ""))
        else:
            out += [opt] + ([value] if value is not None else [])
    return out
