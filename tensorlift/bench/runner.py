"""`tensorlift bench`: lift every kernel of many C/C++ files, in parallel, isolated, with reports.

    tensorlift bench PATH... [--jobs N] [--timeout S] [--grace S] [--memory GIB] [--report FILE]...
                             [--resume] [--function NAME] [--guide G] [--require-proof [SCOPE]]
                             [--verify bounded|none] [--bound N] [--target LIST] [--emit DIR]
                             [-I DIR] [-D NAME[=VALUE]] [-U NAME] [-std=STD] [--cflags FLAGS]
                             [-p BUILD_DIR] [-x c|c++] [--executor local|ray] [--ray-address ADDR]

Inputs: each PATH is a file or a directory searched recursively for `*.c`, `*.cc`, `*.cpp`,
`*.cxx` (sorted; directories and files whose name starts with '.' are skipped). Every
function of a file that takes or returns arrays is a kernel (or only `--function NAME`). A
file that cannot be listed (does not parse, binary, no function at all) is one record with
status "error", function null and a one-line reason. Every file is listed before the first
kernel is handed out (the workers start up meanwhile), so the progress line counts against
the batch's whole total from the start.

Code: with `--target`, each lifted kernel's code for every target, checked on its examples,
is in its record ("code"; "code_errors" for a target that could not take it); `--emit DIR`
writes one module per source file and target (modules.py).

Executors: `local` (default) runs `--jobs` warm worker processes, each importing tensorlift
once and lifting kernel after kernel (local.py, slot.py, worker.py); `ray` makes each kernel
a Ray task on a cluster or a local Ray instance (ray_executor.py). Either way a kernel that
crashes its worker, hangs past `--timeout` plus `--grace` or exhausts `--memory` costs only
that worker: it is killed with its process group and replaced, and the record says
"worker crashed (SIGSEGV)", "timed out after N s" or "out of memory".

Reports (`--report`, may be repeated; format by extension): `.json` (a list of records:
lift's to_json fields plus "file" and "verdict": "lifted, proved", "lifted, not proved",
"failed", "error" or "interrupted"), `.csv` (the same, flat), `.html` (a page with a
summary, a sortable table, sources beside programs and a cactus plot). Each is rewritten
atomically as results come (at most a tenth of the time goes to writing), and at the end,
so a killed batch keeps what it had. CSV and HTML reports keep a JSON sidecar `FILE.json`;
`--resume` reads the first report's JSON (or sidecar) and skips the kernels already in it
(matched by absolute file path and function). An interrupted batch writes every report once
more, with a record of status "interrupted" for each kernel it had not lifted (the HTML page
says "interrupted"); `--resume` lifts those.

Exit codes: 0 the batch ran (whatever the kernels gave), 1 `--function` named no function
of any input, 2 bad input (a path that does not exist, no source file found, bad options, an
unreadable report to resume, Ray missing), 130 interrupted (Ctrl-C or SIGTERM; the reports
keep every kernel finished, and `--resume` continues).
"""
from __future__ import annotations

import argparse
import os
import signal
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional, Sequence, TextIO, Union

from ..backends import targets_of
from ..c.flags import BuildFlags, find_database
from ..errors import EXIT_BAD_INPUT, EXIT_INTERRUPTED, EXIT_NOT_FOUND, EXIT_OK, TensorliftError
from ..modes import GUIDES, Guide, ProofScope, VerifyMode
from ..options import Parser
from . import DEFAULT_GRACE, DEFAULT_MEMORY_GIB, DEFAULT_TIMEOUT, EXECUTORS
from .command import BENCH_EPILOG, add_bench_options
from .local import LocalExecutor
from .progress import Progress
from .modules import write_modules
from .ray_executor import RayExecutor
from .records import INTERRUPTED, SourceCache, blank_record, record_key, summarize, summary_lines, with_verdict
from .report import read_report, report_format, write_report
from .sources import Job, find_sources, list_jobs, project_list

WRITE_SHARE = 0.1             # at most this share of the batch's time goes to rewriting reports
TICK_SECONDS = 0.25           # the progress bar is redrawn this often while nothing finishes


@dataclass(frozen=True)
class Settings:
    """What every kernel of a batch is lifted with, and its limits."""
    timeout: float = DEFAULT_TIMEOUT
    guide: Guide = "auto"
    grace: float = DEFAULT_GRACE
    memory_gib: float = DEFAULT_MEMORY_GIB
    require_proof: Union[bool, ProofScope] = False      # or the scope a proof must have
    verify: VerifyMode = "bounded"
    bound: int = 3
    targets: tuple[str, ...] = ()      # code for each lifted kernel, checked on its examples

    @property
    def hard_limit(self) -> float:
        """A worker still on one kernel after this many seconds is killed."""
        return self.timeout + self.grace


@dataclass
class BatchResult:
    records: list[dict]                 # every record of the report, in input order
    resumed: int = 0                    # records taken from the earlier report
    skipped: int = 0                    # kernels skipped because the report had them
    wall_seconds: float = 0.0
    busy_seconds: float = 0.0           # the workers' time on kernels, added up
    jobs: int = 1
    executor: str = "local"
    workers_started: int = 0            # worker processes started (local: jobs + replacements)
    modules: list[Path] = field(default_factory=list)   # written by --emit

    @property
    def summary(self) -> dict:
        return summarize(self.records)


@contextmanager
def _uninterrupted():
    """Ctrl-C / SIGTERM are ignored while the batch cleans up (main thread only)."""
    saved = {}
    try:
        for sig in (signal.SIGINT, signal.SIGTERM):
            saved[sig] = signal.signal(sig, signal.SIG_IGN)
    except ValueError:                  # not the main thread: nothing to protect
        pass
    try:
        yield
    finally:
        for sig, handler in saved.items():
            signal.signal(sig, handler)


class Batch:
    """Lists the files and feeds their kernels to an executor, which lifts them meanwhile;
    keeps the records, the progress and the reports up to date.

    An executor has `workers`, `name`, `busy_seconds`, `workers_started` and: start()
    (before the first kernel), submit(job), finish() (no more jobs), poll(timeout) (the
    (job, record) pairs finished meanwhile), `busy` (submitted jobs without a record yet),
    close() (stop every worker, idempotent)."""

    def __init__(self, files: Sequence[Path], executor, settings: Settings, *, function: Optional[str] = None,
                 build=None, reports: Sequence[Path] = (), previous: Sequence[dict] = (),
                 progress: Optional[Progress] = None, emit: Optional[Path] = None):
        self.files = list(files)
        self.function, self.build = function, build
        self.executor = executor
        self.settings = settings
        self.reports = [Path(r) for r in reports]
        self.emit = emit
        self.order: dict[tuple, int] = {}       # kernel -> its place in the input, as listed
        self.jobs: dict[tuple, Job] = {}
        self.records: dict[tuple, dict] = {}
        for rec in previous:
            if rec.get("status") != INTERRUPTED:        # not lifted yet: lifted now
                self.records[record_key(rec)] = rec
        self.resumed_keys = set(self.records)
        self.skipped = 0
        self.sources = SourceCache()
        self.progress = progress
        self.start = time.monotonic()
        self._next_write = 0.0
        self._unwritten = False
        self._listing = True
        self.project: list = []                 # every file of the batch and its database, with flags

    # -- records and reports

    def ordered(self) -> list[dict]:
        n = len(self.order)
        items = list(self.records.items())
        idx = sorted(range(len(items)), key=lambda i: self.order.get(items[i][0], (n + i,)))
        return [items[i][1] for i in idx]

    def write_modules(self) -> list[Path]:
        """`--emit DIR`: one module per source file and target (see modules.py)."""
        if self.emit is None or not self.settings.targets:
            return []
        return write_modules(self.emit, self.ordered(), self.settings.targets)

    def write_reports(self, complete: bool = False, force: bool = True, interrupted: bool = False) -> None:
        """Rewrite every report; unless forced, only when the last write is long enough
        ago that writing stays under WRITE_SHARE of the time (big reports, fast kernels)."""
        if not self.reports:
            return
        now = time.monotonic()
        if not force and now < self._next_write:
            self._unwritten = True
            return
        records = self.ordered()
        meta = {"total": None if self._listing else len(self.order) + len(self.resumed_keys - set(self.order)),
                "complete": complete, "interrupted": interrupted, "wall_seconds": now - self.start,
                "busy_seconds": self.executor.busy_seconds,
                "generated": time.strftime("%Y-%m-%d %H:%M:%S"), "jobs": self.executor.workers,
                "executor": self.executor.name,
                "timeout": f"{self.settings.timeout:g} s", "guide": self.settings.guide}
        for path in self.reports:
            write_report(path, records, meta, self.sources)
        took = time.monotonic() - now
        if records:     # the first, empty write pays for imports: it says nothing of later ones
            self._next_write = time.monotonic() + took * (1 - WRITE_SHARE) / WRITE_SHARE
        self._unwritten = False

    def add(self, job: Job, rec: dict) -> None:
        rec = {"file": job.file, **{k: v for k, v in rec.items() if k != "file"}}
        if rec.get("function") is None and job.function is not None:
            rec["function"] = job.function
        rec["region"] = job.region
        self._follow(job, rec.pop("follow_ups", None) or [])
        rec = self.records[job.key] = with_verdict(rec)
        self.write_reports(force=False)
        if self.progress:
            self.progress.result(rec)

    def _follow(self, job: Job, units: list) -> None:
        """Queue the units to try after one that was not lifted (its regions), placed
        right after it in the reports."""
        at = self.order.get(job.key, (len(self.order),))
        for k, (function, region, line) in enumerate(units):
            sub = Job(job.file, function, line, flags=job.flags, language=job.language, region=region,
                      project=job.project)
            if sub.key in self.order:
                continue
            self.order[sub.key] = at + (k,)
            self.jobs[sub.key] = sub
            if sub.key in self.records:
                self.skipped += 1
                continue
            if self.progress:
                self.progress.total += 1
            self.executor.submit(sub)

    def _take(self, finished) -> None:
        for job, rec in finished:
            self.add(job, rec)

    def _tick(self) -> None:
        if self._unwritten:
            self.write_reports(force=False)
        if self.progress:
            self.progress.draw()

    # -- the run

    def _list(self, file: Path) -> list[Job]:
        """List one file: its kernels not in the earlier report."""
        todo = []
        for job in list_jobs([file], self.function, self.build, self.project):
            key = job.key
            if key in self.order:
                continue
            self.order[key] = (len(self.order),)
            self.jobs[key] = job
            if job.line and job.region is None:
                self.sources.lines[key[:2]] = job.line
            stale = (key[0], None, None)       # the file did not parse before, but lists kernels now
            if job.function is not None and stale in self.records and stale not in self.order:
                del self.records[stale]
                self.resumed_keys.discard(stale)
            if key in self.records:
                self.skipped += 1
                continue
            todo.append(job)
        return todo

    def _interrupted(self) -> None:
        """A record for every kernel listed but not lifted, so that each report says so."""
        for key, job in self.jobs.items():
            if key not in self.records:
                rec = blank_record(job.file, job.function, status=INTERRUPTED, guide=self.settings.guide,
                                   error="the batch was interrupted before this kernel was lifted (--resume lifts it)")
                self.records[key] = with_verdict({**rec, "region": job.region})

    def run(self) -> BatchResult:
        ex = self.executor
        self.start = time.monotonic()
        self.write_reports()
        try:
            ex.start()                         # the workers start up while the files are listed
            self.project = project_list(self.files, self.build)
            todo = []
            for k, file in enumerate(self.files):
                if self.progress:
                    self.progress.listing(k, len(self.files))
                todo += self._list(file)
            self._listing = False              # every kernel is known before the first starts
            if self.progress:
                self.progress.total = len(todo)
            for job in todo:
                if job.function is None:
                    self.add(job, blank_record(job.file, None, guide=self.settings.guide,
                                               error=job.error or "no function"))
                else:
                    ex.submit(job)
            while ex.busy:                     # a record may queue more (the regions of its function)
                finished = ex.poll(TICK_SECONDS)
                if finished:
                    self._take(finished)
                else:
                    self._tick()
            ex.finish()
        except BaseException:            # interrupted: stop the workers, keep what is done
            with _uninterrupted():
                ex.close()
                self._interrupted()
                self.write_reports(complete=False, interrupted=True)
                self.write_modules()
                if self.progress:
                    self.progress.close()
            raise
        with _uninterrupted():
            ex.close()
        wall = time.monotonic() - self.start
        self.write_reports(complete=True)
        modules = self.write_modules()
        if self.progress:
            self.progress.close()
        return BatchResult(self.ordered(), resumed=len(self.resumed_keys & set(self.records)), skipped=self.skipped,
                           wall_seconds=wall, busy_seconds=ex.busy_seconds, jobs=ex.workers,
                           executor=ex.name, workers_started=ex.workers_started, modules=modules)


def make_executor(name: str, jobs: Optional[int], settings: Settings,
                  worker_command: Optional[Sequence[str]] = None, ray_address: Optional[str] = None):
    """The executor of that name. `jobs`: kernels at once (default: all cores; on a Ray
    cluster, the cluster's CPUs)."""
    if name == "local":
        return LocalExecutor(jobs or os.cpu_count() or 1, settings, worker_command)
    if name == "ray":
        return RayExecutor(jobs, settings, worker_command, address=ray_address)
    raise TensorliftError(f"unknown executor '{name}' (choose from {', '.join(EXECUTORS)})")


def run_batch(paths: Sequence[str | os.PathLike], *, jobs: Optional[int] = None,
              timeout: float = DEFAULT_TIMEOUT, guide: str = "auto", function: Optional[str] = None,
              reports: Sequence[str | os.PathLike] = (), resume: bool = False,
              grace: float = DEFAULT_GRACE, memory_gib: float = DEFAULT_MEMORY_GIB,
              progress: Optional[TextIO] = None, tty: Optional[bool] = None,
              worker_command: Optional[Sequence[str]] = None, require_proof: Union[bool, str] = False,
              build=None, executor: str = "local", ray_address: Optional[str] = None,
              verify: str = "bounded", bound: int = 3, targets: Sequence[str] = (),
              emit: Optional[str | os.PathLike] = None) -> BatchResult:
    """Lift every kernel under the paths; the Python face of `tensorlift bench`. `build` is
    a `tensorlift.c.flags.BuildFlags` (the -I/-D/-U/-std/--cflags/-p/-x options). `targets`:
    code for each lifted kernel, checked on its examples (in the records' "code"); `emit`: a
    directory for one module per source file and target.
    Raises TensorliftError for bad input (missing path, no source file, bad report, no Ray)."""
    files = find_sources(paths)
    if not files:
        raise TensorliftError("no C or C++ file (.c, .cc, .cpp, .cxx) found in " + ", ".join(map(str, paths)))
    reports = [Path(r) for r in reports]
    for r in reports:
        report_format(r)
        if not r.parent.exists():
            raise TensorliftError(f"cannot write report {r}: no such directory {r.parent}")
    if resume and not reports:
        raise TensorliftError("--resume needs --report (the report to continue)")
    if build is not None and build.build_dir is not None:
        find_database(Path(build.build_dir), build.build_dir)     # -p without a database: bad input
    if emit is not None:
        try:
            Path(emit).mkdir(parents=True, exist_ok=True)
        except OSError as e:
            raise TensorliftError(f"cannot write to {emit}: {e.strerror}") from None
    settings = Settings(timeout=timeout, guide=guide, grace=grace, memory_gib=memory_gib,
                        require_proof=require_proof, verify=verify, bound=bound, targets=tuple(targets))
    runner = make_executor(executor, jobs, settings, worker_command, ray_address)
    previous = read_report(reports[0]) if resume else []
    bar = Progress(progress, 0, tty) if progress is not None else None
    batch = Batch(files, runner, settings, function=function, build=build, reports=reports,
                  previous=previous, progress=bar, emit=Path(emit) if emit is not None else None)
    return batch.run()


def _error(message: str, code: int) -> int:
    print(f"tensorlift: error: {message}", file=sys.stderr)
    return code


def _raise_interrupt(signum, frame):
    raise KeyboardInterrupt


def _check(args) -> str | None:
    """What is wrong with the options, or None."""
    if args.ray_address and args.executor != "ray":
        return "--ray-address needs --executor ray"
    if args.guide not in GUIDES:
        return f"unknown guide '{args.guide}' (choose from {', '.join(GUIDES)})"
    return None


def cmd_bench(args) -> int:
    """Run `tensorlift bench` with parsed options; returns the exit code."""
    problem = _check(args)
    if problem:
        return _error(problem, EXIT_BAD_INPUT)
    try:
        targets = targets_of(args.target) if args.target else ["numpy"] if args.emit else []
    except TensorliftError as e:
        return _error(str(e), EXIT_BAD_INPUT)
    old_term = None
    try:
        old_term = signal.signal(signal.SIGTERM, _raise_interrupt)
    except ValueError:    # not the main thread
        pass
    try:
        result = run_batch(args.paths, jobs=args.jobs, timeout=args.timeout, guide=args.guide,
                           function=args.function, reports=args.report, resume=args.resume,
                           grace=args.grace, memory_gib=args.memory, progress=sys.stderr,
                           require_proof=args.require_proof, build=BuildFlags.of_options(args),
                           executor=args.executor, ray_address=args.ray_address, verify=args.verify,
                           bound=args.bound, targets=targets, emit=args.emit)
    except TensorliftError as e:
        return _error(str(e), EXIT_BAD_INPUT)
    except KeyboardInterrupt:
        return _error("interrupted (the reports keep every kernel finished so far; --resume continues)",
                      EXIT_INTERRUPTED)
    finally:
        if old_term is not None:
            signal.signal(signal.SIGTERM, old_term)
    if args.function and not result.records:
        return _error(f"function '{args.function}' is not defined in any input file", EXIT_NOT_FOUND)
    s = result.summary
    if result.skipped:
        print(f"resumed: {result.skipped} kernel(s) already in the report were skipped", file=sys.stderr)
    for line in summary_lines(s, result.wall_seconds, result.busy_seconds, result.resumed, result.jobs):
        print(line)
    for path in args.report:
        print(f"report: {path}", file=sys.stderr)
    if args.emit:
        print(f"code: {len(result.modules)} module(s) in {args.emit}", file=sys.stderr)
    return EXIT_OK


def _parser() -> argparse.ArgumentParser:
    p = Parser(prog="python -m tensorlift.bench.runner", epilog=BENCH_EPILOG,
               description="Lift every kernel of many C files (the `tensorlift bench` command).")
    add_bench_options(p)
    return p


def main(argv: Optional[Sequence[str]] = None) -> int:
    """`python -m tensorlift.bench.runner`: the bench command alone."""
    try:
        args = _parser().parse_args(argv)
    except SystemExit as e:          # --help, or a usage error (said on stderr)
        return int(e.code or 0)
    return cmd_bench(args)


if __name__ == "__main__":
    sys.exit(main())
