"""A warm batch worker: `python -m tensorlift.bench.worker [--memory GIB]`.

It imports the pipeline once, then lifts the kernels sent to it, one JSON request per line
on stdin, and answers each with one JSON record per line on its original stdout. Start-up
(about half a second of imports) is paid once per worker instead of once per kernel.

Whatever the pipeline or the programs it runs print goes to stderr, and they read
/dev/null, so nothing can corrupt the protocol. The worker limits its own address space
(`--memory`), makes no core dumps, dies with the process that started it, and ends on
end of input. Killing it is the batch's business (`slot.py`): this process only lifts.

Request fields: file, function, region, timeout, guide, require_proof, verify, bound, targets,
flags, language, project, hard_limit. With targets, a lifted kernel's record has "code" (target
-> source, each checked on the examples as `lift --target` checks it) and, for a target that
failed, "code_errors" (target -> why). A record of a unit that is not lifted carries
"follow_ups": the units to try next ([function, region, line]: its regions, or the nests
inside it; see units.py).
"""
from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import time
from pathlib import Path
from typing import Optional, Sequence

from ..budget import limit_memory
from ..c.frontend import parse
from ..c.project import Project
from ..errors import KernelRunError, TensorliftError
from ..pipeline import lift
from ..units import follow_ups as nests, splits
from .records import blank_record, one_line
from .slot import PARENT_ENV



def _lift(path, function, project=(), **kw):
    """The lifting a worker does (a module attribute so that tests can make it misbehave):
    the function, or its region, with calls into the project's other files followed."""
    return lift(path, function, project=_project(project, kw.get("language")), **kw)


def _project(files, language):
    return Project([(Path(p), fl) for p, fl in files], language) if files else None


def _unit(path, flags, language, files):
    return parse(Path(path), flags, language, _project(files, language))


def follow_ups(req: dict) -> list:
    """[function, region, line] of the units to try when this one is not lifted."""
    try:
        unit = _unit(req["file"], list(req.get("flags") or []), req.get("language"), req.get("project") or ())
        return [list(item) for item in nests(unit, req.get("function"), req.get("region"))]
    except Exception:             # the unit's own record says what went wrong
        return []


def _die_with_parent() -> None:
    """Linux: the worker is killed when the process (thread) that started it ends, even by
    kill -9; and it ends now if that process is already gone."""
    try:
        import ctypes
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL, 0, 0, 0)        # PR_SET_PDEATHSIG
    except Exception:
        pass
    parent = os.environ.get(PARENT_ENV)
    if parent and parent.isdigit() and os.getppid() != int(parent):
        os._exit(1)


def lift_request(req: dict) -> dict:
    """One kernel's record: lift's to_json fields after "file"; an exception of the pipeline
    gives an "error" record with a one-line reason."""
    file, function, guide = req["file"], req.get("function"), req.get("guide", "auto")
    targets = list(req.get("targets") or [])
    start = time.monotonic()
    outcome = None              # what stopped the lift (units.splits: whether the unit gives way to its regions)
    try:
        res = _lift(file, function, timeout=req.get("timeout", 60.0), guide=guide,
                    require_proof=req.get("require_proof") or False, flags=list(req.get("flags") or []),
                    language=req.get("language"), verify=req.get("verify", "bounded"), bound=req.get("bound", 3),
                    targets=targets, region=req.get("region"), project=req.get("project") or ())
        rec = res.to_json()
        if targets and res.status == "lifted":
            rec["code"] = res.code
            if res.code_errors:
                rec["code_errors"] = {t: one_line(e) for t, e in res.code_errors.items()}
    except TensorliftError as e:
        outcome = e
        rec = blank_record(file, function, guide=guide, error=one_line(e) or type(e).__name__)
    except MemoryError as e:
        outcome = KernelRunError(str(e))
        rec = blank_record(file, function, guide=guide, error="out of memory")
    except RecursionError:
        rec = blank_record(file, function, guide=guide, error="input nested too deeply to process")
    except Exception as e:   # a bug of ours: the batch records it and goes on
        rec = blank_record(file, function, guide=guide,
                           error=f"internal error: {type(e).__name__}: {e}".splitlines()[0])
    if rec.get("status") == "error" and not rec.get("seconds"):
        rec["seconds"] = round(time.monotonic() - start, 4)
    rec["region"] = req.get("region")
    if rec.get("status") != "lifted" and function is not None:
        if splits(outcome):
            rec["follow_ups"] = follow_ups(req)
    return {"file": file, **{k: v for k, v in rec.items() if k != "file"}}


def serve(memory_gib: float) -> int:
    """Answer requests until end of input."""
    _die_with_parent()
    limit_memory(memory_gib)
    requests = os.fdopen(os.dup(0), "r", encoding="utf-8")
    answers = os.fdopen(os.dup(1), "w", encoding="utf-8")
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)                  # a compiler or kernel run by the pipeline reads nothing of ours
    os.close(null)
    os.dup2(2, 1)                     # and what anything prints goes to stderr
    sys.stdout = sys.stderr
    for line in requests:
        if not line.strip():
            continue
        req = json.loads(line)
        hard = req.get("hard_limit")
        if hard:                      # a backstop should the batch be gone: SIGALRM ends us
            signal.alarm(max(1, int(hard) + 5))
        rec = lift_request(req)
        signal.alarm(0)
        answers.write(json.dumps(rec, default=str) + "\n")
        answers.flush()
    return 0


def main(argv: Optional[Sequence[str]] = None) -> int:
    p = argparse.ArgumentParser(prog="python -m tensorlift.bench.worker",
                                description="A warm worker of `tensorlift bench` (JSON lines in and out).")
    p.add_argument("--memory", type=float, default=4.0, metavar="GIB", help="address-space limit in GiB")
    args = p.parse_args(argv)
    return serve(args.memory)


if __name__ == "__main__":
    sys.exit(main())
