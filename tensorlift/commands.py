"""The commands of the command line, run on parsed options: each calls the API and formats
what it returns (cli.py parses and imports this module only then, so that --help, --version
and a usage error do not load the pipeline)."""
from __future__ import annotations

import argparse
import itertools
import json
import os
import sys
import time
import traceback
import warnings
from pathlib import Path

from .api import analyze, lift, verify
from .backends import SUFFIX, targets_of
from .budget import limit_memory
from .c.flags import BuildFlags
from .c.frontend import parse
from .c.project import project_of
from .c.sizecases import ties_of
from .errors import EXIT_BAD_INPUT, EXIT_INTERNAL, EXIT_INTERRUPTED, EXIT_NOT_FOUND, EXIT_OK, TensorliftError
from .options import DEFAULT_MEMORY_GIB
from .pipeline import LiftResult
from .units import attempts, split_name, unit_kernel


def run(args) -> int:
    """Run a parsed command: its exit code, and any error as one line on stderr."""
    try:
        if args.command in ("lift", "analyze", "verify"):
            limit_memory(getattr(args, "memory", DEFAULT_MEMORY_GIB))
        with warnings.catch_warnings():     # NumPy's about our own arithmetic are not the user's business
            warnings.simplefilter("ignore", RuntimeWarning)
            return COMMANDS[args.command](args)
    except KeyboardInterrupt:
        return _fail(args, "interrupted", EXIT_INTERRUPTED)
    except Exception as e:
        return _fail(args, *_error(e))


def _error(e: Exception) -> tuple[str, int]:
    """The one line and the exit code of an error."""
    if isinstance(e, TensorliftError):
        return str(e), EXIT_BAD_INPUT
    if isinstance(e, MemoryError):
        return "out of memory (raise the ceiling with --memory GIB)", EXIT_BAD_INPUT
    if isinstance(e, RecursionError):
        return "input nested too deeply to process", EXIT_BAD_INPUT
    if os.environ.get("TENSORLIFT_DEBUG"):      # a bug of ours: still one line, never a traceback by default
        traceback.print_exc()
    return f"internal error: {type(e).__name__}: {e}".splitlines()[0], EXIT_INTERNAL


def _fail(args, message: str, code: int) -> int:
    if getattr(args, "json", False) and args.command == "lift":
        out = LiftResult(args.function, "error", guide=args.guide, error=message,
                         region=getattr(args, "region", None)).to_json()
        print(json.dumps(out))
    print(f"tensorlift: error: {message}", file=sys.stderr)
    return code


def _parse(args):
    """The file read with the build's flags, calls into the project's other files followed."""
    flags = BuildFlags.of_options(args)
    path = Path(args.file).resolve() if Path(args.file).exists() else None
    project = project_of(path, flags, getattr(args, "others", ())) if path is not None else None
    return parse(args.file, flags.for_file(path) if path is not None else [], flags.language, project)


def _kernels(args):
    """The kernels a command works on: the function named, or every kernel of the file
    (read once, with the build's flags), as (name, kernel or the error reading it)."""
    unit = _parse(args)
    names = [args.function] if args.function else unit.candidates()
    if not names:
        raise TensorliftError(f"no function in {args.file} takes or returns arrays; name one with --function")
    out = []
    for name in names:
        try:
            out.append((name, unit_kernel(unit, name)))
        except TensorliftError as e:
            if len(names) == 1:
                raise
            out.append((name, e))
    return out


def cmd_analyze(args) -> int:
    for name, kernel in _kernels(args):
        if isinstance(kernel, TensorliftError):
            raise kernel
        res = analyze(kernel, examples=args.examples)
        if args.json:
            print(json.dumps(res.to_json()), flush=True)
        else:
            _print_analysis(res)
    return EXIT_OK


def _print_analysis(res) -> None:
    sig = res.signature
    print(f"function {sig.function}")
    for p in sig.params:
        if p.kind == "array":
            window = f" from element {p.offset}" if p.offset else ""
            print(f"  {p.name:<18} array  {p.dtype:<6} {p.access:<9} shape [{', '.join(p.shape)}]{window}")
        elif p.role == "stride":
            dense = res.analysis.stride_values.get(p.name)
            print(f"  {p.name:<18} scalar {p.dtype:<6} stride (examples use the dense row length {dense})")
        else:
            print(f"  {p.name:<18} scalar {p.dtype:<6} {p.role}")
    print(f"  returns: {sig.returns or 'nothing'}")
    where = res.analysis.where
    if where is not None:
        print(f"  case: {where} (one side of the kernel's size checks; `lift` covers every side)")
    checked = {frozenset(pair) for pair in ties_of(where)}
    for group in sig.tied_sizes:
        why = "the size check passes" if any(pair <= set(group) for pair in checked) else \
            "the indexing is only consistent"
        print(f"  tied sizes: {' = '.join(group)} ({why} when they are equal)")
    for i, ex in enumerate(res.examples):
        sizes = ", ".join(f"{k}={v}" for k, v in ex.sizes.items())
        print(f"  example {i}: sizes {sizes or '(none)'}; outputs {', '.join(ex.outputs) or '(none)'}")


def cmd_lift(args) -> int:
    targets = targets_of(args.target) if args.target else None
    progress = ProofProgress(sys.stderr) if sys.stderr.isatty() else None

    def lift_one(kernel):
        try:
            return lift(kernel, timeout=args.timeout, guide=args.guide, verify=args.verify,
                        bound=args.bound, answers=args.answers, samples=args.samples, offline=args.offline,
                        grammar=args.grammar, enumerator=args.enumerator, check_answers=args.check_answers,
                        require_proof=args.require_proof, translate=args.translate, targets=targets,
                        progress=progress)
        finally:
            if progress is not None:
                progress.clear()
    unit = _parse(args)
    if args.function and split_name(args.function)[0] not in unit.defs:
        unit_kernel(unit, args.function)          # says that the file does not define it
    # recorded answers are answers for the function: its regions are not lifted with them
    tried = attempts(unit, lift_one, [args.function] if args.function else None,
                     regions=not (args.answers or args.check_answers))
    first, second = next(tried, None), next(tried, None)      # one unit: its error is the command's
    if first is None:
        raise TensorliftError(f"no function in {args.file} takes or returns arrays, and none holds a loop "
                              "nest over arrays; name one with --function")
    if second is None and isinstance(first.outcome, Exception):
        raise first.outcome
    worst = EXIT_OK
    for att in itertools.chain([first], [second] if second else [], tried):
        if isinstance(att.outcome, Exception):     # one unit's failure, even a bug of ours, stops no other
            message, code = _error(att.outcome)
            _fail(argparse.Namespace(**{**vars(args), "function": att.function, "region": att.region}),
                  f"{att.name}: {message}", code)
            worst = max(worst, EXIT_NOT_FOUND if code == EXIT_BAD_INPUT else code)
            continue
        worst = max(worst, _report_lift(args, att.outcome, explicit=targets is not None, header=second is not None))
    return worst


class ProofProgress:
    """A line on a terminal saying what a long proof is proving: shown once a lift has been
    proving for a second, redrawn at most five times a second, cleared when it ends."""
    DELAY, EVERY = 1.0, 0.2

    def __init__(self, stream):
        self.stream = stream
        self.first = self.last = None
        self.shown = False

    def __call__(self, text: str) -> None:
        now = time.monotonic()
        self.first = self.first if self.first is not None else now
        if now - self.first < self.DELAY or (self.last is not None and now - self.last < self.EVERY):
            return
        self.last = now
        self.shown = True
        self._write(f"\r\x1b[K{text}"[:200])

    def clear(self) -> None:
        if self.shown:
            self._write("\r\x1b[K")
        self.first = self.last = None
        self.shown = False

    def _write(self, text: str) -> None:
        try:
            self.stream.write(text)
            self.stream.flush()
        except (OSError, ValueError):
            pass


def _report_lift(args, res, explicit: bool, header: bool) -> int:
    """Print a result: the code the pipeline emitted for its targets (asked for, or chosen)."""
    targets = res.targets
    code = _emit(res, args.emit) if res.status == "lifted" else {}
    speed = None
    if args.speedup and res.status == "lifted":
        from .backends.speedup import measure_speedup       # NumPy and the compiler: only when timing
        timed = [t for t in targets if t != "taco"] or ["numpy", "torch", "jax"]
        speed = measure_speedup(res, timed)
    if args.json:
        out = res.to_json()
        if explicit or args.emit:
            out["code"] = code
        if speed is not None:
            out["speedup"] = speed.to_json()
        print(json.dumps(out), flush=True)
    elif res.status == "lifted":
        if header:
            print(f"# {res.name}")
        print(res.program)
        for case in res.cases:
            if case.get("note"):        # a case of the flags that computes no tensor
                print(f"when {case['when']}: {case['note']}")
        print(f"checked: matches the compiled C on {res.examples_checked} random examples "
              f"({res.candidates} candidate{'s' * (res.candidates != 1)}, {res.seconds:.2f} s); verification: {_verification(res)}")
        for t in targets:
            if t != "taco" and not args.emit and explicit:
                print(f"\n# --- {t} (checked on the examples) ---\n{code[t]}", end="")
        if args.emit:
            print(f"wrote {', '.join(t for t in targets)} code to {args.emit}")
        if speed is not None:
            print(speed.format_table())
        if header:
            print()
    else:
        print(f"not lifted{f' ({res.name})' if header else ''}: {res.why_not_lifted}", file=sys.stderr)
    return EXIT_OK if res.status == "lifted" else EXIT_NOT_FOUND


def _emit(res, directory) -> dict[str, str]:
    """The code of each target (the pipeline ran each on the examples: a mismatch is an
    error, never output), written into `directory` if given."""
    for t in res.targets:
        if t in res.code_errors:
            raise TensorliftError(res.code_errors[t])
    code = res.code
    if directory:
        d = Path(directory)
        try:
            d.mkdir(parents=True, exist_ok=True)
            for t, src in code.items():
                (d / f"{res.name.replace(':', '_').replace('-', '_')}{SUFFIX[t]}").write_text(src)
        except OSError as e:
            raise TensorliftError(f"cannot write to {d}: {e.strerror}") from None
    return code


def _verification(res) -> str:
    if res.verification == "proved":
        arith = "real arithmetic for floating point" if res.verification_model == "reals" else "integers"
        if res.verification_scope == "all-sizes":
            return f"proved for all sizes ({arith})"
        if res.verification_scope == "fixed-sizes":
            return f"proved at its fixed sizes ({arith})"
        return f"proved for {covered(res.verification_bound, res.verification_bounds)} only ({arith})"
    if res.verification == "unknown":
        return f"NOT proved: {res.verification_reason}"
    return "not run (the program is checked on the examples only)"


def covered(bound, bounds) -> str:
    """What a bounded proof covered, in words: `sizes up to 3`, or each dimension's own
    bound when they differ (`n up to 23, m up to 3`: every combination within them)."""
    if bound is None:
        return "its fixed sizes"
    if not bounds or len(set(bounds.values())) <= 1:
        return f"sizes up to {bound}"
    return "every combination of " + ", ".join(f"{d} up to {n}" for d, n in bounds.items())


def cmd_verify(args) -> int:
    kernels = _kernels(args)
    if len(kernels) != 1:
        names = ", ".join(n for n, _ in kernels)
        raise TensorliftError(f"{len(kernels)} functions to choose from ({names}); name one with --function")
    res = verify(kernels[0][1], args.program, bound=args.bound, timeout=args.timeout)
    if args.json:
        print(json.dumps(res.to_json()))
    else:
        arith = "real arithmetic for floating point" if res.model == "reals" else "integers"
        if res.scope == "all-sizes":
            scope = "for all sizes"
        elif res.bound is None:
            scope = "at its fixed sizes"
        else:
            scope = f"{'for' if res.verdict == 'proved' else 'with'} {covered(res.bound, res.bounds)}"
        word = res.verdict if res.verdict != "unknown" else "unknown: NOT proved"
        print(f"{word} {scope} ({arith}), {res.seconds:.2f} s")
        if res.reason:
            print(f"  {res.reason}")
        cex = res.counterexample
        if cex:
            print(f"  counterexample at sizes {cex['sizes']}" + (f": {cex['reason']}" if "reason" in cex else ""))
            for label in ("inputs", "expected", "got"):
                for name, value in cex[label].items():
                    print(f"    {label:<8} {name} = {value}")
    return EXIT_OK if res.verdict == "proved" else EXIT_NOT_FOUND


def cmd_bench(args) -> int:
    from .bench.runner import cmd_bench as run        # the batch machinery: not for a lift
    return run(args)


COMMANDS = {"analyze": cmd_analyze, "lift": cmd_lift, "verify": cmd_verify, "bench": cmd_bench}
