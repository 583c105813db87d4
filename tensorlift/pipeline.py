"""The lifting pipeline: analysis, examples, guidance, grammar, search, check (and verify),
then each target's code.

Each output gets its own statement, searched in the order the C code writes the
outputs, so a later statement can read what an earlier one computed (a temporary).
"""
from __future__ import annotations

import importlib
import threading
import time
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Callable, Optional, Sequence, Union

from .backends import check_target
from .budget import Budget, OutOfTime
from .c import ast as A
from .c.ast import field_path
from .c.frontend import load_kernel, parse
from .c.harness import smoke_macros, start_build
from .c.interp import FieldStore
from .c.outline import region_kernel
from .c.roles import FrontEnd, flag_intervals, representative, specialised
from .c.sizecases import size_cases
from .errors import TensorliftError, UnsupportedConstruct
from .llm.config import ModelConfig
from .modes import (ENUMERATORS, GRAMMAR_STYLES, GUIDES, PROOF_SCOPES, VERIFY_MODES, Enumerator, GrammarStyle, Guide,
                    Guidance, ProofScope, Status, Target, Verification, VerifyMode)
from .taco.guards import case_condition, cases_of, guard
from .taco.ir import Condition, Guarded
from .units import unit_name
from .verify.result import Model, Scope, least_bounds, weakest

if TYPE_CHECKING:
    from .c.analysis import Analysis
    from .signature import Example
    from .taco.ir import Program


@dataclass(frozen=True)
class LiftOptions:
    """How to lift, as `lift`'s keywords and the CLI's options give it.

    Guidance: `auto` uses the model's answers (from `answers`, a file or a list of texts, or
    from the model configured by the environment) together with static features of the
    code, and static features alone when there is no model; `llm` the answers alone (the
    published method); `static` the code alone; `none` equal weights. `check_answers`
    checks the answers as written instead of searching (a baseline); `auto` also takes an
    answer that is right as written before it searches. `timeout` bounds the whole lift
    (analysis, examples, search and proofs). With `require_proof`, a program that is not
    proved is not lifted (`require_proof="all-sizes"`: unless proved for every size).
    `translate=False` leaves out the statements read off the C (static guidance tries them
    before it searches): the search and its guidance alone, for measuring them. `plain`
    asks for plain TACO (so do the taco and tensora targets): a statement read off the C
    that goes beyond it is not tried. `targets`: code for each, checked on the examples
    (None: the TACO text, or NumPy code when the program is beyond plain TACO; () none).
    `progress` hears what a long proof is proving."""
    timeout: float = 60.0
    guide: Guide = "auto"
    grammar: GrammarStyle = "learned"
    enumerator: Enumerator = "top-down"
    answers: Union[None, str, Path, list[str]] = None
    samples: int = 10
    offline: bool = False
    model: Optional[ModelConfig] = None
    cache_dir: Optional[str] = None
    check_answers: bool = False
    examples: int = 6
    seed: int = 0
    verify: VerifyMode = "bounded"
    bound: int = 3
    require_proof: Union[bool, ProofScope] = False
    translate: bool = True
    plain: bool = False
    targets: Optional[Sequence[Target]] = None
    progress: Optional[Callable[[str], None]] = field(default=None, compare=False)

    def __post_init__(self):
        _choose("guide", self.guide, GUIDES)
        _choose("grammar", self.grammar, GRAMMAR_STYLES)
        _choose("enumerator", self.enumerator, ENUMERATORS)
        _choose("verification", self.verify, VERIFY_MODES)
        required_scope(self.require_proof)
        for t in self.targets or ():
            check_target(t)

    @property
    def plain_only(self) -> bool:
        """Whether only plain TACO may be found (asked, or a target that speaks nothing else)."""
        return self.plain or bool({"taco", "tensora"} & set(self.targets or ()))


OPTION_NAMES = frozenset(f.name for f in fields(LiftOptions))


@dataclass
class LiftResult:
    function: str                               # the C function (a region's: the function it is in)
    status: Status
    program: Optional[Program] = None
    guide: Guide = "auto"                       # as asked
    guidance: Guidance = "static"               # what guided the search
    grammar: GrammarStyle = "learned"
    enumerator: Enumerator = "top-down"
    candidates: int = 0
    seconds: float = 0.0
    examples_checked: int = 0
    verification: Verification = "not-run"
    verification_bound: Optional[int] = None    # every combination of sizes 1..N is proved
    verification_bounds: Optional[dict] = None  # each dimension's largest size proved (bounded)
    verification_scope: Optional[Scope] = None  # when proved
    verification_model: Optional[Model] = None
    verification_seconds: float = 0.0
    verification_reason: Optional[str] = None   # why "unknown"
    refuted: int = 0                            # candidates that passed the examples but were refuted
    answers_total: int = 0
    answers_parsed: int = 0
    answers_correct: int = 0                    # right as written: match the examples and not refuted
    error: Optional[str] = None
    why_not_lifted: Optional[str] = None        # what was searched, when nothing was found (JSON "searched")
    analysis: Optional[Analysis] = field(default=None, repr=False)
    examples: list[Example] = field(default_factory=list, repr=False)
    cases: list[dict] = field(default_factory=list, repr=False)   # one per case of the flags
    case_signatures: list = field(default_factory=list, repr=False)   # per case of a guarded program
    region: Optional[str] = None                # "START-END": the source lines of a region; None: the whole function
    final: bool = False                         # judged as a whole: its loop nests are not tried (units.splits)
    targets: list[str] = field(default_factory=list, repr=False)      # the code asked for, or chosen
    code: dict[str, str] = field(default_factory=dict, repr=False)    # each target's code, checked
    code_errors: dict[str, str] = field(default_factory=dict, repr=False)   # why a target has none

    @property
    def name(self) -> str:
        """How the user reads it: the function, or a region as `function:START-END`."""
        return unit_name(self.function, self.region)

    def to_json(self) -> dict:
        return {
            "function": self.function, "region": self.region, "status": self.status,
            "program": str(self.program) if self.program is not None else None,
            "guide": self.guide, "guidance": self.guidance, "grammar": self.grammar,
            "enumerator": self.enumerator, "candidates": self.candidates,
            "seconds": round(self.seconds, 4), "examples_checked": self.examples_checked,
            "verification": self.verification, "verification_scope": self.verification_scope,
            "verification_bound": self.verification_bound, "verification_bounds": self.verification_bounds,
            "verification_model": self.verification_model,
            "verification_reason": self.verification_reason, "refuted": self.refuted,
            "answers_total": self.answers_total, "answers_parsed": self.answers_parsed,
            "answers_correct": self.answers_correct, "error": self.error, "searched": self.why_not_lifted,
            **({"cases": self.cases} if self.cases else {}),
        }


def default_targets(program) -> list[str]:
    """The code shown when none is asked for: the TACO text, or NumPy code for what TACO cannot say."""
    return ["taco"] if program is None or all(st.plain for st in program.statements) else ["numpy"]


def prepare(kernel: A.Kernel, budget: Budget, examples: int = 6, seed: int = 0,
            fixed: Optional[dict[str, int]] = None, smoke: bool = True,
            preload: tuple[str, ...] = (), where: Optional[Condition] = None,
            front: Optional[FrontEnd] = None) -> tuple[Analysis, list[Example]]:
    """Analysis and examples of a kernel (with `fixed` scalars held at one value, and sizes
    within `where`, one case of its size checks). The harness compiles while the analysis
    runs; its first run (`smoke`), in a watchdog thread, stops the analysis at once if the
    kernel never ends. With no examples asked for, nothing is compiled. `preload`: modules to
    import in a thread while the compiler runs. `front`: the front end's view of the kernel,
    if already made."""
    front = front if front is not None else FrontEnd.of(kernel)
    build = None
    if examples:
        build = start_build(kernel, front.slots, macros=smoke_macros(front.slots, front.roles))
        if build.thread is not None and preload:     # the compiler runs: what comes next loads meanwhile
            threading.Thread(target=_load, args=(preload,), daemon=True).start()
    # NumPy (with the analysis) is imported while the compiler runs, not before it starts
    from .c import analysis as c_analysis, examples as c_examples
    if build is None:
        return c_analysis.analyze_kernel(kernel, front, budget, fixed, where), []
    if not smoke:
        analysis = c_analysis.analyze_kernel(kernel, front, budget, fixed, where)
        return analysis, c_examples.make_examples(analysis, examples, seed=seed, build=build,
                                                  time_limit=max(1.0, min(10.0, budget.left())))
    failure: list[BaseException] = []

    def watch():
        try:
            c_examples.smoke_run(kernel, front.slots, front.roles, build)
        except TensorliftError as e:
            failure.append(e)
            budget.stop(str(e))
    watchdog = threading.Thread(target=watch, daemon=True)
    watchdog.start()
    try:
        analysis = c_analysis.analyze_kernel(kernel, front, budget, fixed, where)
    except TensorliftError:
        watchdog.join()
        if failure:          # the compiled run's verdict explains better than the interpreter's
            raise failure[0] from None
        raise
    watchdog.join()
    if failure:
        raise failure[0]
    budget.check("analysis")
    exs = c_examples.make_examples(analysis, examples, seed=seed, build=build,
                                   time_limit=max(1.0, min(10.0, budget.left())))
    return analysis, exs


SEARCH_MODULES = ("tensorlift.synthesis",)
"""What a lift imports after the examples (z3 and the search), loaded while the harness compiles."""


def _load(modules) -> None:
    """Import modules (in a thread: an error shows again where they are used)."""
    try:
        for m in modules:
            importlib.import_module(m)
    except Exception:
        pass


def _synthesis() -> ModuleType:
    """The search side of a lift (synthesis.py: NumPy, z3), once the compile has started."""
    from . import synthesis
    return synthesis


def lift(source: Union[str, Path, A.Kernel], function: Optional[str] = None, *,
         flags: Optional[list[str]] = None, language: Optional[str] = None, region: Optional[str] = None,
         project=None, **options) -> LiftResult:
    """Lift a C kernel (a path, C source text, or a kernel already read) to a TACO program
    checked on examples and, unless `verify="none"`, proved equivalent for all sizes up to
    `bound`, with the code of each target, checked. `options`: the fields of LiftOptions
    (timeout, guide, grammar, enumerator, answers, samples, offline, model, cache_dir,
    check_answers, examples, seed, verify, bound, require_proof, translate, plain, targets,
    progress). Bad input raises TensorliftError; a kernel that is not found in time gives
    status "failed". `flags`: the build's compiler flags; `region` ("START-END"): the loop
    nest of the function at those source lines, lifted as a kernel of its own
    (c/outline.py); `project`: the other files of the user's project (c/project.py), whose
    functions the code may call."""
    start = time.monotonic()
    unknown = sorted(set(options) - OPTION_NAMES)
    if unknown:
        raise TypeError(f"lift() got an unexpected keyword argument '{unknown[0]}'")
    opts = LiftOptions(**options)
    kernel = source if isinstance(source, A.Kernel) else \
        load_unit_kernel(source, function, region, flags, language, project)
    return lift_kernel(kernel, opts, start)


def lift_kernel(kernel: A.Kernel, options: LiftOptions, start: Optional[float] = None) -> LiftResult:
    """Lift a kernel already read, each case of its flags and size checks apart, then emit
    each target's code for it."""
    start = time.monotonic() if start is None else start
    result = _lift_cases(kernel, options, Budget(options.timeout, start), start)
    if kernel.region is not None:
        result.function, result.region = kernel.region.function, kernel.region.lines
    if result.status == "lifted":
        result.targets = list(options.targets) if options.targets is not None else default_targets(result.program)
        if result.targets:
            _synthesis().emit_code(result, result.targets)
    return result


def load_unit_kernel(source, function: Optional[str], region: Optional[str], flags, language,
                     project=None) -> A.Kernel:
    """The kernel of a function, or of one of its regions (`region`: "START-END")."""
    if region is None:
        return load_kernel(source, function, flags, language, project)
    if function is None:
        raise TensorliftError("a region needs its function")
    return region_kernel(parse(source, flags, language, project), function, region)


def _lift_cases(kernel: A.Kernel, options: LiftOptions, budget: Budget, start: float) -> LiftResult:
    """Lift a kernel, each case of its flags and size checks apart; the front end runs once
    for the kernel (and once more for each case the flags specialise)."""
    front = FrontEnd.of(kernel)
    intervals = flag_intervals_of(front)
    cases = kernel_cases(front, intervals)
    results, idle = [], []
    for k, (where, case, fixed) in enumerate(cases):
        case_kernel = specialised(kernel, fixed)        # the code this case runs
        case_front = front if case_kernel is kernel else FrontEnd.of(case_kernel)
        try:
            analysis, exs = prepare(case_kernel, budget, options.examples, options.seed, fixed, smoke=k == 0,
                                    preload=SEARCH_MODULES, where=where, front=case_front)
        except OutOfTime as e:
            return replace(_failed(kernel, options, str(e), start), final=True)
        except FieldStore:
            if not intervals or _stores_elements(case_kernel):
                raise
            analysis = None
        if intervals and (analysis is None or not analysis.signature.outputs):
            idle.append((where, case, no_tensor_reason(case_kernel)))     # shape bookkeeping, or nothing
            continue
        r = _failed(case_kernel, options)
        r.analysis, r.examples = analysis, exs
        _synthesis().find_program(r, case_kernel, analysis, exs, budget, options)
        results.append((where, case, r))
        if r.status != "lifted":
            break
    if intervals and not results:
        return _failed(kernel, options, "nothing: in no case of the flags does the kernel write an array or "
                                        "return a value", start)
    result = results[0][2] if len(cases) == 1 else \
        _guarded(intervals, results, idle, [s.name for s in front.slots])
    need = required_scope(options.require_proof)
    if need and result.status == "lifted" and not meets(result, need):
        result.status = "failed"
        what = f"proved for sizes up to {result.verification_bound} only" if result.verification == "proved" \
            else f"not proved ({result.verification_reason or 'verification was not run'})"
        result.why_not_lifted = f"found {result.program} but it is {what}; --require-proof {need}"
    result.seconds = time.monotonic() - start
    return result


def _failed(kernel: A.Kernel, options: LiftOptions, why: Optional[str] = None,
            start: Optional[float] = None) -> LiftResult:
    """A result not lifted (yet), as the options asked for it."""
    return LiftResult(kernel.name, "failed", guide=options.guide, grammar=options.grammar,
                      enumerator=options.enumerator, why_not_lifted=why,
                      seconds=time.monotonic() - start if start is not None else 0.0)


MAX_CASES = 27

def required_scope(require_proof: Union[bool, str, None]) -> Optional[ProofScope]:
    """The scope a lift must be proved in: None (no proof required), or one of PROOF_SCOPES."""
    if require_proof in (None, False):
        return None
    need = "bounded" if require_proof is True else require_proof
    _choose("proof scope", need, PROOF_SCOPES)
    return need


def meets(result: LiftResult, need: str) -> bool:
    """Whether a result is proved as `need` asks. A kernel whose sizes are all fixed is proved
    at its one size: every size it has, so it meets `all-sizes` too."""
    if result.verification != "proved":
        return False
    return need == "bounded" or result.verification_scope in ("all-sizes", "fixed-sizes")


def flag_cases(intervals: dict) -> list[tuple[dict, dict]]:
    """Each case of the flags (an interval per flag) with the values that stand for it: one
    case, with no flags."""
    cases = cases_of(intervals) if intervals else [{}]
    if len(cases) > MAX_CASES:
        raise UnsupportedConstruct(f"{len(cases)} combinations of the flags {', '.join(intervals)}: "
                                   f"more than {MAX_CASES} programs to find")
    return [(case, {f: representative(iv) for f, iv in case.items()}) for case in cases]


def kernel_cases(front: FrontEnd, intervals: dict) -> list[tuple[Optional[Condition], dict, dict]]:
    """Every case of the kernel: a case of its size checks (the sizes it covers; None when it
    checks none) with a case of its flags (and the flags' values for it)."""
    wheres = size_cases(front.kernel, front.dims) or [None]
    flags = flag_cases(intervals)
    if len(wheres) * len(flags) > MAX_CASES:
        raise UnsupportedConstruct(f"{len(wheres)} cases of the size checks times {len(flags)} of the flags: "
                                   f"more than {MAX_CASES} programs to find")
    return [(where, case, fixed) for where in wheres for case, fixed in flags]


def flag_intervals_of(front: FrontEnd) -> dict:
    """The flags of a kernel (integer parameters that only choose code), each with the
    intervals of its values that the code tells apart."""
    out = {}
    for s in front.slots:
        if front.roles.get(s.name) == "flag" and s.field is None and not s.is_global:
            ivs = flag_intervals(front.kernel, s.name, s.dtype)
            if ivs and len(ivs) > 1:
                out[s.name] = ivs
    return out


def _stores_elements(kernel: A.Kernel) -> bool:
    """Whether the kernel's code assigns an element of an array (not only struct fields)."""
    return any(isinstance(n, A.Assign) and isinstance(n.target, (A.Index, A.Unary))
               for f in kernel.functions.values() for n in A.walk(f.body))


def no_tensor_reason(kernel: A.Kernel) -> str:
    """Why a case of the flags that writes no array is not a tensor computation."""
    fields = sorted({field_path(n.target) for f in kernel.functions.values() for n in A.walk(f.body)
                     if isinstance(n, A.Assign) and field_path(n.target) != "<expr>"} |
                    {field_path(n.args[0]) for f in kernel.functions.values() for n in A.walk(f.body)
                     if isinstance(n, A.Call) and n.func in ("memcpy", "memmove", "memset") and n.args
                     and field_path(n.args[0]) != "<expr>"})
    if fields:
        return f"not a tensor computation: it writes the struct fields {', '.join(fields)} (shape bookkeeping)"
    return "not a tensor computation: it writes no array and returns no value"


def _union_signature(sigs: list, order: list[str], flags: set[str]):
    """The signature of a guarded program whose cases use different parameters: every one
    (in C order), an array read in one case and written in another read and written."""
    params: dict = {}
    for sig in sigs:
        for p in sig.params:
            q = params.setdefault(p.name, replace(p, shape=list(p.shape) if p.shape else p.shape))
            if p.kind == "array" and q.access != p.access:
                q.access = "readwrite"
            if p.name in flags:
                q.role = "flag"
    ranked = sorted(params.values(), key=lambda p: order.index(p.name) if p.name in order else len(order))
    return replace(sigs[0], params=ranked)


def _guarded(intervals, results, idle=(), order=()) -> LiftResult:
    """One result for the cases of the size checks and the flags: the guarded program, every
    case's checks and proofs (proved when every case is), or the first case that failed.
    The case that computes the most outputs comes first. `idle`: the cases that compute no
    tensor (each with why), reported beside the program."""
    results = sorted(results, key=lambda r: -len(r[2].analysis.signature.outputs) if r[2].analysis else 0)
    first = results[0][2]
    failed = next((r for *_, r in results if r.status != "lifted"), None)
    cond = lambda where, case: str(case_condition(intervals, where, [case]))  # noqa: E731
    merged = LiftResult(first.function, "failed", guide=first.guide, guidance=first.guidance,
                        grammar=first.grammar, enumerator=first.enumerator, analysis=first.analysis)
    merged.candidates = sum(r.candidates for *_, r in results)
    merged.refuted = sum(r.refuted for *_, r in results)
    merged.verification_seconds = sum(r.verification_seconds for *_, r in results)
    merged.examples = [e for *_, r in results for e in r.examples]
    merged.cases = [{"when": cond(w, c), "program": str(r.program) if r.program else None,
                     "verification": r.verification, "verification_scope": r.verification_scope,
                     "verification_bound": r.verification_bound, "verification_reason": r.verification_reason}
                    for w, c, r in results] + \
        [{"when": cond(w, c), "program": None, "verification": None, "verification_scope": None,
          "verification_bound": None, "verification_reason": None, "note": why} for w, c, why in idle]
    if failed is not None:
        w, c = next((w, c) for w, c, r in results if r is failed)
        merged.why_not_lifted = f"when {cond(w, c)}: {failed.why_not_lifted}"
        return merged
    merged.status = "lifted"
    shapes = lambda r: str([(p.name, p.shape) for p in r.analysis.signature.params])  # noqa: E731
    merged.program, firsts = guard(intervals, [(w, c, r.program, shapes(r)) for w, c, r in results])
    if len({tuple(p.name for p in r.analysis.signature.params) for *_, r in results}) > 1:
        merged.analysis = replace(first.analysis, signature=_union_signature(
            [r.analysis.signature for *_, r in results], order, set(intervals)))
    if idle and not isinstance(merged.program, Guarded):       # one program, for these cases only
        merged.program = Guarded(((case_condition(intervals, None, [c for _, c, _ in results]), merged.program),))
    merged.case_signatures = [results[k][2].analysis.signature for k in firsts]
    merged.examples_checked = len(merged.examples)
    verdicts = [r for *_, r in results]
    unknown = next((r for r in verdicts if r.verification != "proved"), None)
    merged.verification = "proved" if unknown is None else unknown.verification
    merged.verification_bound, merged.verification_model = first.verification_bound, first.verification_model
    if unknown is None:
        merged.verification_scope = weakest(r.verification_scope for r in verdicts)
        bounds = [r.verification_bound for r in verdicts if r.verification_bound is not None]
        merged.verification_bound = min(bounds) if bounds else None
        merged.verification_bounds = least_bounds([r.verification_bounds for r in verdicts])
    if unknown is not None and unknown.verification_reason:
        w, c = next((w, c) for w, c, r in results if r is unknown)
        merged.verification_reason = f"when {cond(w, c)}: {unknown.verification_reason}"
    return merged


def _choose(what: str, value: str, allowed) -> None:
    if value not in allowed:
        raise TensorliftError(f"unknown {what} '{value}' (choose from {', '.join(allowed)})")


