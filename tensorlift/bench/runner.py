"""`tensorlift bench`: lift every kernel of many C files, in parallel, isolated, with reports.

    tensorlift bench PATH... [--jobs N] [--timeout S] [--report FILE]... [--resume]
                             [--function NAME] [--guide G] [--grace S] [--memory GIB]

Inputs: each PATH is a .c file or a directory searched recursively for `*.c` (sorted;
directories and files whose name starts with '.' are skipped). Every function of a file
whose body has a loop and that takes a pointer or array parameter is a kernel (or only
`--function NAME`). A file that does not parse is one record with status "error" and
function null.

Isolation: each kernel is lifted in its own worker process (`python -m tensorlift.bench.runner
--worker FILE --function NAME ...`, which prints one JSON line), at most `--jobs` at a
time (default: all cores). A worker has an address-space limit (`--memory`, 4 GiB), runs
in its own process group and is killed with its children when it passes the timeout plus
`--grace` seconds; a worker that crashes, hangs or runs out of memory gives a record with
status "error" and the error "worker crashed (SIGSEGV)", "timed out after N s" or "out of
memory", and the batch goes on.

Reports (`--report`, may be repeated; format by extension): `.json` (a list of records:
lift's to_json fields plus "file"), `.csv` (the same, flat), `.html` (a page with a
summary, a sortable table, sources beside programs and a cactus plot). Each is rewritten
atomically after every result, so a killed batch keeps what it had. CSV and HTML reports
keep a JSON sidecar `FILE.json`; `--resume` reads the first report's JSON (or sidecar) and
skips the kernels already in it (matched by absolute file path and function).

Exit codes: 0 the batch ran (whatever the kernels gave), 1 `--function` named no function
of any input, 2 bad input (a path that does not exist, no .c file found, bad options or an
unreadable report to resume).
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Optional, Sequence, TextIO

from ..errors import TensorliftError
from .records import SourceCache, blank_record, record_key, summarize, summary_lines
from .report import read_report, report_format, write_report

EXIT_OK, EXIT_NOT_FOUND, EXIT_BAD_INPUT = 0, 1, 2
DEFAULT_TIMEOUT = 60.0
DEFAULT_GRACE = 10.0          # seconds a worker may run past --timeout before it is killed
DEFAULT_MEMORY_GIB = 4.0      # address-space limit of one worker
POLL_SECONDS = 0.05


# ---------------------------------------------------------------- inputs


def find_sources(paths: Sequence[str | os.PathLike]) -> list[Path]:
    """The C files named or found (recursively, sorted) under the paths, without repeats.
    A path that does not exist raises TensorliftError."""
    out: list[Path] = []
    seen: set[str] = set()
    for p in map(Path, paths):
        if not p.exists():
            raise TensorliftError(f"no such file or directory: {p}")
        if p.is_dir():
            found = sorted((f for f in p.rglob("*.c") if f.is_file()
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


def kernel_functions(path: str | os.PathLike, function: Optional[str] = None) -> list[tuple[str, Optional[int]]]:
    """(name, line of the definition) of the kernels of a C file, in source order: the
    functions that take or return arrays, but `main` (see `Unit.candidates`); with `function`,
    that function only, or [] if the file does not define it. A file that does not parse
    raises TensorliftError."""
    from ..c.frontend import parse
    unit = parse(Path(path))
    names = [function] if function is not None else unit.candidates()
    return [(n, unit.defs[n].location.line) for n in names if n in unit.defs]


@dataclass
class Job:
    """One kernel to lift, or one file that could not be listed (error set, function None)."""
    file: str                       # as the user will read it (relative if given so)
    function: Optional[str]
    line: Optional[int] = None
    error: Optional[str] = None

    @property
    def key(self) -> tuple[str, Optional[str]]:
        return (os.path.abspath(self.file), self.function)


def list_jobs(files: Sequence[Path], function: Optional[str] = None) -> list[Job]:
    jobs: list[Job] = []
    for f in files:
        try:
            found = kernel_functions(f, function)
        except TensorliftError as e:
            jobs.append(Job(str(f), None, error=str(e)))
            continue
        except RecursionError:
            jobs.append(Job(str(f), None, error="input nested too deeply to parse"))
            continue
        except Exception as e:  # pycparser on odd input; a bug should not stop the batch
            jobs.append(Job(str(f), None, error=f"cannot list the functions: {type(e).__name__}: {e}".splitlines()[0]))
            continue
        jobs.extend(Job(str(f), name, line) for name, line in found)
    return jobs


# ---------------------------------------------------------------- the worker


def _lift(path, function, *, timeout, guide):
    """The lifting a worker does (a module attribute so that tests can wrap it)."""
    from ..pipeline import lift
    return lift(path, function, timeout=timeout, guide=guide)


def _die_with_parent() -> None:
    """Linux: the worker is killed if the batch process dies (e.g. kill -9)."""
    try:
        import ctypes
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL, 0, 0, 0)        # PR_SET_PDEATHSIG
    except Exception:
        pass


def worker_main(file: str, function: Optional[str], *, timeout: float, guide: str,
                memory_gib: float = DEFAULT_MEMORY_GIB, hard_limit: Optional[float] = None) -> int:
    """Lift one kernel and print its record as one JSON line on stdout. Anything else the
    pipeline prints goes to stderr. Memory is limited; MemoryError gives "out of memory"."""
    import resource
    _die_with_parent()
    if hard_limit:   # a backstop should the batch process be gone: SIGALRM ends the process
        signal.alarm(max(1, int(hard_limit + 5)))
    limit = int(memory_gib * (1 << 30))
    try:
        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    except (ValueError, OSError):
        pass
    out = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    start = time.monotonic()
    try:
        rec = _lift(file, function, timeout=timeout, guide=guide).to_json()
    except TensorliftError as e:
        rec = blank_record(file, function, guide=guide, error=str(e).splitlines()[0] if str(e) else type(e).__name__)
    except MemoryError:
        rec = blank_record(file, function, guide=guide, error="out of memory")
    except RecursionError:
        rec = blank_record(file, function, guide=guide, error="input nested too deeply to process")
    except Exception as e:   # a bug of ours: the batch records it and goes on
        rec = blank_record(file, function, guide=guide,
                           error=f"internal error: {type(e).__name__}: {e}".splitlines()[0])
    if rec.get("status") == "error" and not rec.get("seconds"):
        rec["seconds"] = round(time.monotonic() - start, 4)
    rec = {"file": file, **{k: v for k, v in rec.items() if k != "file"}}
    out.write(json.dumps(rec, default=str) + "\n")
    out.flush()
    return 0


def _worker_command() -> list[str]:
    return [sys.executable, "-m", "tensorlift.bench.runner", "--worker"]


def _worker_env() -> dict[str, str]:
    env = dict(os.environ)
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NUMEXPR_NUM_THREADS"):
        env.setdefault(var, "1")          # parallelism comes from the workers
    pkg_root = str(Path(__file__).resolve().parents[2])
    env["PYTHONPATH"] = pkg_root + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    return env


# ---------------------------------------------------------------- running workers


@dataclass
class _Running:
    job: Job
    proc: subprocess.Popen
    start: float
    out_path: Path
    err_path: Path
    out_f: object
    err_f: object


def _signal_name(num: int) -> str:
    try:
        return signal.Signals(num).name
    except ValueError:
        return f"signal {num}"


def _tail(path: Path, limit: int = 4000) -> str:
    try:
        with open(path, "rb") as f:
            f.seek(0, os.SEEK_END)
            size = f.tell()
            f.seek(max(0, size - limit))
            return f.read().decode("utf-8", "replace")
    except OSError:
        return ""


_OOM_WORDS = ("MemoryError", "Cannot allocate memory", "std::bad_alloc", "out of memory",
              "failed to allocate", "Unable to allocate")


def classify_exit(returncode: int, stdout: str, stderr: str) -> tuple[Optional[dict], Optional[str]]:
    """A finished worker's record (if it printed one) or the error text that says why not."""
    for line in reversed(stdout.splitlines()):
        line = line.strip()
        if line.startswith("{"):
            try:
                rec = json.loads(line)
            except json.JSONDecodeError:
                continue
            if isinstance(rec, dict):
                return rec, None
    oom = any(w in stderr for w in _OOM_WORDS)
    if returncode < 0:
        name = _signal_name(-returncode)
        if oom:
            return None, f"out of memory (worker crashed with {name})"
        if -returncode == signal.SIGKILL:
            return None, "worker crashed (SIGKILL: killed from outside, possibly out of memory)"
        return None, f"worker crashed ({name})"
    if oom:
        return None, "out of memory"
    last = next((ln.strip() for ln in reversed(stderr.splitlines()) if ln.strip()), "")
    return None, f"worker exited with status {returncode} without a result" + (f": {last[:200]}" if last else "")


def _exited(proc: subprocess.Popen) -> bool:
    """Has the worker ended? Checked without reaping it, so that its process group id
    cannot be reused before we clean the group up."""
    if proc.returncode is not None:
        return True
    try:
        info = os.waitid(os.P_PID, proc.pid, os.WEXITED | os.WNOHANG | os.WNOWAIT)
    except ChildProcessError:
        return proc.poll() is not None
    except AttributeError:            # no waitid: fall back to poll (reaps)
        return proc.poll() is not None
    return info is not None


def _kill_group(proc: subprocess.Popen) -> None:
    """SIGKILL the worker's process group (the worker and its compiler / kernel children)."""
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    except OSError:
        try:
            proc.kill()
        except OSError:
            pass


# ---------------------------------------------------------------- progress


def _clock(seconds: float) -> str:
    s = int(round(seconds))
    return f"{s // 3600}:{s // 60 % 60:02d}:{s % 60:02d}" if s >= 3600 else f"{s // 60}:{s % 60:02d}"


class Progress:
    """A live bar on a terminal (redrawn in place); one plain line per kernel otherwise."""

    def __init__(self, stream: Optional[TextIO], total: int, tty: Optional[bool] = None):
        self.stream = stream
        self.total = total
        self.done = 0
        self.lifted = 0
        self.start = time.monotonic()
        self.tty = bool(stream is not None and (stream.isatty() if tty is None else tty))
        self._last_draw = 0.0

    def _write(self, text: str) -> None:
        if self.stream is None:
            return
        try:
            self.stream.write(text)
            self.stream.flush()
        except (OSError, ValueError):
            pass

    def line_for(self, rec: dict) -> str:
        name = f"{rec.get('file')}" + (f":{rec['function']}" if rec.get("function") else "")
        status = rec.get("status") or "?"
        what = rec.get("program") if status == "lifted" else (rec.get("error") or rec.get("searched") or "")
        secs = rec.get("seconds") or 0.0
        width = len(str(self.total))
        return f"[{self.done:>{width}}/{self.total}] {status:<7} {name}  {float(secs):.2f} s" + (f"  {what}" if what else "")

    def result(self, rec: dict) -> None:
        self.done += 1
        self.lifted += rec.get("status") == "lifted"
        if self.stream is None:
            return
        if self.tty:
            if rec.get("status") != "lifted":   # what went wrong scrolls above the bar
                self._write("\r\x1b[K" + self.line_for(rec) + "\n")
            self.draw(force=True)
        else:
            self._write(self.line_for(rec) + "\n")

    def draw(self, force: bool = False) -> None:
        if not self.tty:
            return
        now = time.monotonic()
        if not force and now - self._last_draw < 0.25:
            return
        self._last_draw = now
        elapsed = now - self.start
        eta = (elapsed / self.done * (self.total - self.done)) if self.done else None
        cols = shutil.get_terminal_size((80, 24)).columns
        text = (f" {self.done}/{self.total} kernels  lifted {self.lifted}  elapsed {_clock(elapsed)}"
                f"  remaining {'?' if eta is None else '~' + _clock(eta)}")
        width = max(10, min(40, cols - len(text) - 3))
        filled = int(width * self.done / self.total) if self.total else width
        bar = "[" + "#" * filled + "." * (width - filled) + "]"
        self._write("\r\x1b[K" + (bar + text)[:max(1, cols - 1)])

    def close(self) -> None:
        if self.tty:
            self.draw(force=True)
            self._write("\n")


# ---------------------------------------------------------------- the batch


@dataclass
class BatchResult:
    records: list[dict]                 # every record of the report, in input order
    ran: list[dict] = field(default_factory=list)    # the records made by this run
    resumed: int = 0                    # records taken from the earlier report
    skipped: int = 0                    # kernels skipped because the report had them
    wall_seconds: float = 0.0
    busy_seconds: float = 0.0           # the workers' lifetimes added up (start-up included)
    jobs: int = 1

    @property
    def summary(self) -> dict:
        return summarize(self.records)

    @property
    def run_kernel_seconds(self) -> float:
        return sum(float(r.get("seconds") or 0.0) for r in self.ran)


class Batch:
    """Runs jobs in worker processes, N at a time, writing the reports after each result."""

    def __init__(self, jobs: list[Job], *, workers: int, timeout: float, guide: str,
                 grace: float = DEFAULT_GRACE, memory_gib: float = DEFAULT_MEMORY_GIB,
                 reports: Sequence[Path] = (), previous: Sequence[dict] = (),
                 progress: Optional[Progress] = None,
                 worker_command: Optional[Sequence[str]] = None,
                 on_record: Optional[Callable[[dict], None]] = None):
        self.jobs = jobs
        self.workers = max(1, workers)
        self.timeout, self.guide, self.grace, self.memory_gib = timeout, guide, grace, memory_gib
        self.reports = [Path(r) for r in reports]
        self.worker_command = list(worker_command) if worker_command else _worker_command()
        self.on_record = on_record
        self.order = {job.key: i for i, job in enumerate(jobs)}
        self.records: dict[tuple, dict] = {}
        for rec in previous:
            self.records[record_key(rec)] = rec
        self.resumed_keys = set(self.records)
        self.sources = SourceCache({job.key: job.line for job in jobs if job.function and job.line})
        self.progress = progress
        self.ran: list[dict] = []
        self.busy = 0.0
        self.start = time.monotonic()

    @property
    def hard_limit(self) -> float:
        return self.timeout + self.grace

    # -- records and reports

    def ordered(self) -> list[dict]:
        n = len(self.order)
        items = list(self.records.items())
        idx = sorted(range(len(items)), key=lambda i: self.order.get(items[i][0], n + i))
        return [items[i][1] for i in idx]

    def write_reports(self, complete: bool = False) -> None:
        if not self.reports:
            return
        records = self.ordered()
        meta = {"total": len(self.order) + len(self.resumed_keys - set(self.order)), "complete": complete,
                "wall_seconds": time.monotonic() - self.start,
                "busy_seconds": self.busy,
                "generated": time.strftime("%Y-%m-%d %H:%M:%S"), "jobs": self.workers,
                "timeout": f"{self.timeout:g} s", "guide": self.guide}
        for path in self.reports:
            write_report(path, records, meta, self.sources)

    def add(self, job: Job, rec: dict) -> None:
        rec = {"file": job.file, **{k: v for k, v in rec.items() if k != "file"}}
        if rec.get("function") is None and job.function is not None:
            rec["function"] = job.function
        self.records[job.key] = rec
        self.ran.append(rec)
        self.write_reports()
        if self.progress:
            self.progress.result(rec)
        if self.on_record:
            self.on_record(rec)

    # -- workers

    def _start(self, job: Job, tmp: Path, n: int) -> _Running:
        out_path, err_path = tmp / f"{n}.out", tmp / f"{n}.err"
        out_f, err_f = open(out_path, "wb"), open(err_path, "wb")
        cmd = self.worker_command + [os.path.abspath(job.file), "--function", job.function,
                                     "--timeout", repr(self.timeout), "--guide", self.guide,
                                     "--memory", repr(self.memory_gib), "--hard-limit", repr(self.hard_limit)]
        try:
            proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=out_f, stderr=err_f,
                                    env=_worker_env(), start_new_session=True, close_fds=True)
        except BaseException:
            out_f.close()
            err_f.close()
            raise
        return _Running(job, proc, time.monotonic(), out_path, err_path, out_f, err_f)

    def _finish(self, r: _Running, timed_out: bool) -> dict:
        _kill_group(r.proc)          # the worker's leftovers (compiler, kernel) go too
        try:
            r.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            r.proc.kill()
            r.proc.wait()
        r.out_f.close()
        r.err_f.close()
        seconds = time.monotonic() - r.start
        self.busy += seconds
        if timed_out:
            return blank_record(r.job.file, r.job.function, guide=self.guide, seconds=seconds,
                                error=f"timed out after {self.hard_limit:g} s")
        stdout = _tail(r.out_path, 1 << 20)
        stderr = _tail(r.err_path)
        rec, error = classify_exit(r.proc.returncode, stdout, stderr)
        if rec is None:
            rec = blank_record(r.job.file, r.job.function, guide=self.guide, seconds=seconds, error=error)
        return rec

    def run(self) -> BatchResult:
        todo = [job for job in self.jobs if job.key not in self.records]
        skipped = len(self.jobs) - len(todo)
        # a file that did not parse before but lists kernels now: its old error record goes
        files_now = {os.path.abspath(j.file) for j in self.jobs if j.function is not None}
        for key in [k for k in self.records if k[1] is None and k[0] in files_now and k not in self.order]:
            del self.records[key]
            self.resumed_keys.discard(key)
        if self.progress:
            self.progress.total = len(todo)
        self.start = time.monotonic()
        self.write_reports(complete=not todo)
        running: list[_Running] = []
        queue = list(reversed(todo))
        n = 0
        with tempfile.TemporaryDirectory(prefix="tensorlift-bench-") as tmpdir:
            tmp = Path(tmpdir)
            try:
                while queue or running:
                    while queue and len(running) < self.workers:
                        job = queue.pop()
                        if job.error is not None or job.function is None:
                            self.add(job, blank_record(job.file, None, guide=self.guide,
                                                       error=job.error or "no function"))
                            continue
                        n += 1
                        running.append(self._start(job, tmp, n))
                    if not running:
                        continue
                    time.sleep(POLL_SECONDS)
                    now = time.monotonic()
                    for r in list(running):
                        timed_out = False
                        if not _exited(r.proc):
                            if now - r.start <= self.hard_limit:
                                continue
                            timed_out = True
                        running.remove(r)
                        self.add(r.job, self._finish(r, timed_out))
                    if self.progress:
                        self.progress.draw()
            finally:
                for r in running:      # interrupted: no worker outlives the batch
                    _kill_group(r.proc)
                    try:
                        r.proc.wait(timeout=10)
                    except subprocess.TimeoutExpired:
                        pass
                    r.out_f.close()
                    r.err_f.close()
        wall = time.monotonic() - self.start
        self.write_reports(complete=True)
        if self.progress:
            self.progress.close()
        records = self.ordered()
        return BatchResult(records, list(self.ran), resumed=len(self.resumed_keys & set(self.records)),
                           skipped=skipped, wall_seconds=wall, busy_seconds=self.busy, jobs=self.workers)


def run_batch(paths: Sequence[str | os.PathLike], *, jobs: Optional[int] = None,
              timeout: float = DEFAULT_TIMEOUT, guide: str = "auto", function: Optional[str] = None,
              reports: Sequence[str | os.PathLike] = (), resume: bool = False,
              grace: float = DEFAULT_GRACE, memory_gib: float = DEFAULT_MEMORY_GIB,
              progress: Optional[TextIO] = None, tty: Optional[bool] = None,
              worker_command: Optional[Sequence[str]] = None) -> BatchResult:
    """Lift every kernel under the paths; the Python face of `tensorlift bench`.
    Raises TensorliftError for bad input (missing path, no C file, bad report)."""
    files = find_sources(paths)
    if not files:
        raise TensorliftError("no .c file found in " + ", ".join(map(str, paths)))
    reports = [Path(r) for r in reports]
    for r in reports:
        report_format(r)
        if not r.parent.exists():
            raise TensorliftError(f"cannot write report {r}: no such directory {r.parent}")
    if resume and not reports:
        raise TensorliftError("--resume needs --report (the report to continue)")
    previous = read_report(reports[0]) if resume else []
    job_list = list_jobs(files, function)
    bar = Progress(progress, len(job_list), tty) if progress is not None else None
    batch = Batch(job_list, workers=jobs or os.cpu_count() or 1, timeout=timeout, guide=guide,
                  grace=grace, memory_gib=memory_gib, reports=reports, previous=previous,
                  progress=bar, worker_command=worker_command)
    return batch.run()


def _parser() -> argparse.ArgumentParser:
    from .command import add_bench_options
    p = argparse.ArgumentParser(prog="python -m tensorlift.bench.runner",
                                description="Lift every kernel of many C files (the `tensorlift bench` command).")
    add_bench_options(p)
    p.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    p.add_argument("--hard-limit", type=float, default=None, help=argparse.SUPPRESS)
    return p


def main(argv: Optional[Sequence[str]] = None) -> int:
    from .command import _error, cmd_bench
    args = _parser().parse_args(argv)
    if args.worker:
        if len(args.paths) != 1:
            return _error("--worker takes one FILE", EXIT_BAD_INPUT)
        return worker_main(args.paths[0], args.function, timeout=args.timeout, guide=args.guide,
                           memory_gib=args.memory, hard_limit=args.hard_limit)
    return cmd_bench(args)


if __name__ == "__main__":
    sys.exit(main())
