"""Command line: formats what the API returns. Exit codes: 0 success, 1 not found / refuted,
2 bad input, 3 internal error (a bug: rerun with TENSORLIFT_DEBUG=1 for the traceback)."""
from __future__ import annotations

import argparse
import json
import os
import sys
import traceback

from .errors import TensorliftError

EXIT_OK, EXIT_NOT_FOUND, EXIT_BAD_INPUT, EXIT_INTERNAL = 0, 1, 2, 3


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="tensorlift", description="Lift C tensor kernels to verified TACO index notation.")
    sub = p.add_subparsers(dest="command", required=True)

    a = sub.add_parser("analyze", help="show what each parameter of a kernel is, with examples")
    a.add_argument("file")
    a.add_argument("--function")
    a.add_argument("--json", action="store_true")
    a.add_argument("--examples", type=int, default=3, metavar="N")

    lf = sub.add_parser("lift", help="lift a kernel to TACO index notation")
    lf.add_argument("file")
    lf.add_argument("--function")
    lf.add_argument("--timeout", type=float, default=60.0, metavar="SECONDS")
    lf.add_argument("--guide", default="auto", choices=("auto", "llm", "static", "none"),
                    help="auto: model answers with static features when a model or --answers is given, "
                         "static alone otherwise; llm: learned weights only (the published method)")
    lf.add_argument("--answers", metavar="FILE", help="recorded model answers, one per line")
    lf.add_argument("--samples", type=int, default=10, metavar="N", help="answers to ask the model for")
    lf.add_argument("--offline", action="store_true", help="replay model answers from the cache only")
    lf.add_argument("--grammar", default="learned", choices=("learned", "equal", "full", "answers-only"))
    lf.add_argument("--enumerator", default="top-down", choices=("top-down", "bottom-up"))
    lf.add_argument("--check-answers", action="store_true",
                    help="check the model's answers as written instead of searching (a baseline)")
    lf.add_argument("--target", default="taco", metavar="LIST",
                    help="comma-separated: taco,numpy,torch,jax,tensora (each emitted program is run on the examples)")
    lf.add_argument("--emit", metavar="DIR", help="write one file per target into DIR")
    lf.add_argument("--speedup", action="store_true",
                    help="time the compiled C (-O2) against each Python target at a realistic size")
    lf.add_argument("--verify", default="bounded", choices=("bounded", "none"))
    lf.add_argument("--bound", type=int, default=3, metavar="N")
    lf.add_argument("--json", action="store_true")

    v = sub.add_parser("verify", help="prove a TACO program equivalent to a kernel for all sizes up to a bound")
    v.add_argument("file")
    v.add_argument("program")
    v.add_argument("--function")
    v.add_argument("--bound", type=int, default=3, metavar="N")
    v.add_argument("--timeout", type=float, default=300.0, metavar="SECONDS")
    v.add_argument("--json", action="store_true")
    from .bench.runner import add_bench_parser
    add_bench_parser(sub)
    return p


def main(argv=None) -> int:
    args = _parser().parse_args(argv)
    try:
        return _COMMANDS[args.command](args)
    except TensorliftError as e:
        return _fail(args, str(e), EXIT_BAD_INPUT)
    except KeyboardInterrupt:
        return _fail(args, "interrupted", EXIT_BAD_INPUT)
    except RecursionError:
        return _fail(args, "input nested too deeply to process", EXIT_BAD_INPUT)
    except Exception as e:  # a bug of ours: still one line, never a traceback by default
        if os.environ.get("TENSORLIFT_DEBUG"):
            traceback.print_exc()
        return _fail(args, f"internal error: {type(e).__name__}: {e}".splitlines()[0], EXIT_INTERNAL)


def _fail(args, message: str, code: int) -> int:
    if getattr(args, "json", False) and args.command == "lift":
        from .pipeline import LiftResult
        out = LiftResult(args.function, "error", guide=args.guide, error=message).to_json()
        print(json.dumps(out))
    print(f"tensorlift: error: {message}", file=sys.stderr)
    return code


def cmd_analyze(args) -> int:
    from .api import analyze
    res = analyze(args.file, args.function, examples=args.examples)
    if args.json:
        print(json.dumps(res.to_json()))
        return EXIT_OK
    sig = res.signature
    print(f"function {sig.function}")
    for p in sig.params:
        if p.kind == "array":
            print(f"  {p.name:<18} array  {p.dtype:<6} {p.access:<9} shape [{', '.join(p.shape)}]")
        elif p.role == "stride":
            dense = res.analysis.stride_values.get(p.name)
            print(f"  {p.name:<18} scalar {p.dtype:<6} stride (examples use the dense row length {dense})")
        else:
            print(f"  {p.name:<18} scalar {p.dtype:<6} {p.role}")
    print(f"  returns: {sig.returns or 'nothing'}")
    for group in sig.tied_sizes:
        print(f"  tied sizes: {' = '.join(group)} (the indexing is only consistent when they are equal)")
    for i, ex in enumerate(res.examples):
        sizes = ", ".join(f"{k}={v}" for k, v in ex.sizes.items())
        print(f"  example {i}: sizes {sizes or '(none)'}; outputs {', '.join(ex.outputs) or '(none)'}")
    return EXIT_OK


def cmd_lift(args) -> int:
    from .api import lift
    targets = _targets(args.target)
    if args.samples < 1:
        raise TensorliftError("--samples must be at least 1")
    res = lift(args.file, args.function, timeout=args.timeout, guide=args.guide, verify=args.verify,
               bound=args.bound, answers=args.answers, samples=args.samples, offline=args.offline,
               grammar=args.grammar, enumerator=args.enumerator, check_answers=args.check_answers)
    code = _emit(res, targets, args.emit) if res.status == "lifted" else {}
    speed = None
    if args.speedup and res.status == "lifted":
        from .backends.speedup import measure_speedup
        timed = [t for t in targets if t != "taco"] or ["numpy", "torch", "jax"]
        speed = measure_speedup(res, timed)
    if args.json:
        out = res.to_json()
        if targets != ["taco"] or args.emit:
            out["code"] = code
        if speed is not None:
            out["speedup"] = speed.to_json()
        print(json.dumps(out))
    elif res.status == "lifted":
        print(res.program)
        print(f"checked: matches the compiled C on {res.examples_checked} random examples "
              f"({res.candidates} candidates, {res.seconds:.2f} s); verification: {_verification(res)}")
        for t in targets:
            if t != "taco" and not args.emit:
                print(f"\n# --- {t} (checked on the examples) ---\n{code[t]}", end="")
        if args.emit:
            print(f"wrote {', '.join(t for t in targets)} code to {args.emit}")
        if speed is not None:
            print(speed.format_table())
    else:
        print(f"not lifted: {res.searched}", file=sys.stderr)
    return EXIT_OK if res.status == "lifted" else EXIT_NOT_FOUND


def _targets(text: str) -> list[str]:
    from .backends import TARGETS
    targets = [t.strip() for t in text.split(",") if t.strip()]
    bad = [t for t in targets if t not in TARGETS]
    if bad or not targets:
        raise TensorliftError(f"unknown target '{(bad or [text])[0]}' (choose from {', '.join(TARGETS)})")
    return targets


_SUFFIX = {"taco": ".taco", "numpy": "_numpy.py", "torch": "_torch.py", "jax": "_jax.py", "tensora": "_tensora.py"}


def _emit(res, targets: list[str], directory) -> dict[str, str]:
    """Code for each target, each run on the examples first: a mismatch is an error, never output."""
    from pathlib import Path
    from .backends import emit_checked
    code = {t: emit_checked(t, res.program, res.analysis.signature, res.examples) for t in targets}
    if directory:
        d = Path(directory)
        try:
            d.mkdir(parents=True, exist_ok=True)
            for t, src in code.items():
                (d / f"{res.function}{_SUFFIX[t]}").write_text(src)
        except OSError as e:
            raise TensorliftError(f"cannot write to {d}: {e.strerror}") from None
    return code


def _verification(res) -> str:
    if res.verification == "proved":
        arith = "real arithmetic for floating point" if res.verification_model == "reals" else "integers"
        return f"proved for all sizes up to {res.verification_bound} ({arith})"
    if res.verification == "unknown":
        return f"unknown ({res.verification_reason})"
    return "not run"


def cmd_verify(args) -> int:
    from .c.analysis import analyze_kernel
    from .c.frontend import load_kernel
    from .taco.parse import parse_program
    from .verify.prove import verify
    program = parse_program(args.program)
    analysis = analyze_kernel(load_kernel(args.file, args.function))
    res = verify(analysis, program, bound=args.bound, timeout=args.timeout)
    if args.json:
        print(json.dumps(res.to_json()))
    else:
        arith = "real arithmetic for floating point" if res.model == "reals" else "integers"
        scope = "for all sizes up to" if res.verdict == "proved" else "with sizes up to"
        print(f"{res.verdict} {scope} {res.bound} ({arith}), {res.seconds:.2f} s")
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
    from .bench.runner import cmd_bench as run
    return run(args)


_COMMANDS = {"analyze": cmd_analyze, "lift": cmd_lift, "verify": cmd_verify, "bench": cmd_bench}

if __name__ == "__main__":
    sys.exit(main())
