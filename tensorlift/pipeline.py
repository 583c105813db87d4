"""The lifting pipeline: analysis, examples, guidance, grammar, search, check (and verify).

Each output gets its own statement, searched in the order the C code writes the
outputs, so a later statement can read what an earlier one computed (a temporary).
"""
from __future__ import annotations

import importlib
import itertools
import threading
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable, Optional, Union

from typing import TYPE_CHECKING

from .budget import Budget, OutOfTime
from .c import ast as A
from .c.frontend import load_kernel, parse
from .c.harness import smoke_macros, start_build
from .c.ast import field_path
from .c.interp import FieldStore
from .c.outline import region_kernel
from .c.roles import analyse_flows, flag_intervals, representative, scalar_roles, specialised
from .c.sizecases import size_cases
from .c.slots import flatten, size_slots
from .errors import TensorliftError, UnsupportedConstruct
from .llm.config import ModelConfig
from .synth import GRAMMAR_STYLES as STYLES, GUIDES
from .taco.guards import case_condition, cases_of, guard
from .taco.ir import Condition, Guarded
from .units import unit_name

if TYPE_CHECKING:
    from .c.analysis import Analysis
    from .signature import Example
    from .synth.guide import Guidance
    from .synth.learn import Answers
    from .taco.ir import Program

# Imported when a lift needs them, after the harness compile has started: NumPy, z3 and the
# search take longer to import than the compiler takes to start.

ENUMERATORS = ("top-down", "bottom-up")


@dataclass
class LiftResult:
    function: str                               # the C function (a region's: the function it is in)
    status: str                                 # "lifted" | "failed" | "error"
    program: Optional[Program] = None
    guide: str = "auto"                         # as asked
    guidance: str = "static"                    # what guided the search: "llm+static", "llm", "static", "none"
    grammar: str = "learned"
    enumerator: str = "top-down"
    candidates: int = 0
    seconds: float = 0.0
    examples_checked: int = 0
    verification: str = "not-run"               # "proved" | "unknown" | "not-run"
    verification_bound: Optional[int] = None    # every combination of sizes 1..N is proved
    verification_bounds: Optional[dict] = None  # each dimension's largest size proved (bounded)
    verification_scope: Optional[str] = None    # "all-sizes" | "bounded" | "fixed-sizes" when proved
    verification_model: Optional[str] = None    # "integers" | "reals"
    verification_seconds: float = 0.0
    verification_reason: Optional[str] = None   # why "unknown"
    refuted: int = 0                            # candidates that passed the examples but were refuted
    answers_total: int = 0
    answers_parsed: int = 0
    answers_correct: int = 0                    # right as written: match the examples and not refuted
    error: Optional[str] = None
    searched: Optional[str] = None              # what was searched, when nothing was found
    analysis: Optional[Analysis] = field(default=None, repr=False)
    examples: list[Example] = field(default_factory=list, repr=False)
    cases: list[dict] = field(default_factory=list, repr=False)   # one per case of the flags
    case_signatures: list = field(default_factory=list, repr=False)   # per case of a guarded program
    region: Optional[str] = None                # "START-END": the source lines of a region; None: the whole function
    final: bool = False                         # judged as a whole: its loop nests are not tried (units.splits)

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
            "answers_correct": self.answers_correct, "error": self.error, "searched": self.searched,
            **({"cases": self.cases} if self.cases else {}),
        }


def prepare(kernel: A.Kernel, budget: Budget, examples: int = 6, seed: int = 0,
            fixed: Optional[dict[str, int]] = None, smoke: bool = True,
            preload: tuple[str, ...] = (), where: Optional[Condition] = None) -> tuple[Analysis, list[Example]]:
    """Analysis and examples of a kernel (with `fixed` scalars held at one value, and sizes
    within `where`, one case of its size checks). The harness compiles while the analysis
    runs; its first run (`smoke`), in a watchdog thread, stops the analysis at once if the
    kernel never ends. With no examples asked for, nothing is compiled. `preload`: modules to
    import in a thread while the compiler runs."""
    if examples == 0:
        from .c.analysis import analyze_kernel
        return analyze_kernel(kernel, None, budget, fixed, where), []
    slots = flatten(kernel)
    roles = scalar_roles(slots, analyse_flows(kernel, slots))
    slots = size_slots(slots, roles)
    build = start_build(kernel, slots, macros=smoke_macros(slots, roles))
    if build.thread is not None and preload:     # the compiler runs: what comes next loads meanwhile
        threading.Thread(target=_load, args=(preload,), daemon=True).start()
    # NumPy (with the analysis) is imported while the compiler runs, not before it starts
    from .c.analysis import analyze_kernel
    from .c.examples import make_examples, smoke_run
    if not smoke:
        analysis = analyze_kernel(kernel, slots, budget, fixed, where)
        return analysis, make_examples(analysis, examples, seed=seed, build=build,
                                       time_limit=max(1.0, min(10.0, budget.left())))
    failure: list[BaseException] = []

    def watch():
        try:
            smoke_run(kernel, slots, roles, build)
        except TensorliftError as e:
            failure.append(e)
            budget.stop(str(e))
    watchdog = threading.Thread(target=watch, daemon=True)
    watchdog.start()
    try:
        analysis = analyze_kernel(kernel, slots, budget, fixed, where)
    except TensorliftError:
        watchdog.join()
        if failure:          # the compiled run's verdict explains better than the interpreter's
            raise failure[0] from None
        raise
    watchdog.join()
    if failure:
        raise failure[0]
    budget.check("analysis")
    exs = make_examples(analysis, examples, seed=seed, build=build,
                        time_limit=max(1.0, min(10.0, budget.left())))
    return analysis, exs


SEARCH_MODULES = ("tensorlift.synth.learn", "tensorlift.synth.topdown", "tensorlift.synth.grammar",
                  "tensorlift.synth.check", "tensorlift.verify.prove")
"""What a lift imports after the examples (z3 and the search), loaded while the harness compiles."""


def _load(modules) -> None:
    """Import modules (in a thread: an error shows again where they are used)."""
    try:
        for m in modules:
            importlib.import_module(m)
    except Exception:
        pass


def lift(source: Union[str, Path], function: Optional[str] = None, *, timeout: float = 60.0,
         guide: str = "auto", grammar: str = "learned", enumerator: str = "top-down",
         answers: Union[None, str, Path, list[str]] = None, samples: int = 10, offline: bool = False,
         model: Optional[ModelConfig] = None, cache_dir: Optional[str] = None,
         check_answers: bool = False, examples: int = 6, seed: int = 0, verify: str = "bounded",
         bound: int = 3, require_proof: Union[bool, str] = False, flags: Optional[list[str]] = None,
         language: Optional[str] = None, translate: bool = True, plain: bool = False,
         progress: Optional[Callable[[str], None]] = None, region: Optional[str] = None,
         project=None) -> LiftResult:
    """Lift a C kernel (a path or C source text) to a TACO program checked on examples and,
    unless `verify="none"`, proved equivalent for all sizes up to `bound`.

    Guidance: `auto` uses the model's answers (from `answers`, a file or a list of texts, or
    from the model configured by the environment) together with static features of the
    code, and static features alone when there is no model; `llm` the answers alone (the
    published method); `static` the code alone; `none` equal weights. `check_answers`
    checks the answers as written instead of searching (a baseline); `auto` also takes an
    answer that is right as written before it searches. Bad input raises
    TensorliftError; a kernel that is not found in time gives status "failed". `timeout`
    bounds the whole lift (analysis, examples, search and proofs). With `require_proof`, a
    program that is not proved is not lifted (`require_proof="all-sizes"`: unless proved for
    every size). `flags`: the build's compiler flags.
    `translate=False` leaves out the statements read off the C (static guidance tries them
    before it searches): the search and its guidance alone, for measuring them. `plain`
    asks for plain TACO (for the taco and tensora targets): a statement read off the C
    that goes beyond it is not tried. `progress` hears what a long proof is proving.
    `region` ("START-END"): the loop nest of the function at those source lines, lifted as a
    kernel of its own (c/outline.py). `project`: the other files of the user's project
    (c/project.py), whose functions the code may call."""
    start = time.monotonic()
    _choose("guide", guide, GUIDES)
    _choose("grammar", grammar, STYLES)
    _choose("enumerator", enumerator, ENUMERATORS)
    _choose("verification", verify, ("bounded", "none"))
    required_scope(require_proof)
    budget = Budget(timeout, start)
    kernel = source if isinstance(source, A.Kernel) else \
        load_unit_kernel(source, function, region, flags, language, project)
    result = _lift_kernel(kernel, budget, start, guide=guide, grammar=grammar, enumerator=enumerator,
                          answers=answers, samples=samples, offline=offline, model=model, cache_dir=cache_dir,
                          check_answers=check_answers, examples=examples, seed=seed, verify=verify, bound=bound,
                          require_proof=require_proof, translate=translate, plain=plain, progress=progress)
    if kernel.region is not None:
        result.function, result.region = kernel.region.function, kernel.region.lines
    return result


def load_unit_kernel(source, function: Optional[str], region: Optional[str], flags, language,
                     project=None) -> A.Kernel:
    """The kernel of a function, or of one of its regions (`region`: "START-END")."""
    if region is None:
        return load_kernel(source, function, flags, language, project)
    if function is None:
        raise TensorliftError("a region needs its function")
    return region_kernel(parse(source, flags, language, project), function, region)


def _lift_kernel(kernel, budget, start, *, guide, grammar, enumerator, answers, samples, offline, model, cache_dir,
                 check_answers, examples, seed, verify, bound, require_proof, translate, plain, progress) -> LiftResult:
    """Lift a kernel already loaded, each case of its flags and size checks apart."""
    intervals = flag_intervals_of(kernel)
    cases = kernel_cases(kernel, intervals)
    results, idle = [], []
    for k, (where, case, fixed) in enumerate(cases):
        case_kernel = specialised(kernel, fixed)        # the code this case runs
        try:
            analysis, exs = prepare(case_kernel, budget, examples, seed, fixed, smoke=k == 0,
                                    preload=SEARCH_MODULES, where=where)
        except OutOfTime as e:
            return LiftResult(kernel.name, "failed", guide=guide, grammar=grammar, enumerator=enumerator,
                              searched=str(e), seconds=time.monotonic() - start, final=True)
        except FieldStore:
            if not intervals or _stores_elements(case_kernel):
                raise
            analysis = None
        if intervals and (analysis is None or not analysis.signature.outputs):
            idle.append((where, case, no_tensor_reason(case_kernel)))     # shape bookkeeping, or nothing
            continue
        r = _lift(case_kernel, analysis, exs, budget, guide, grammar, enumerator, answers, samples,
                  offline, model, cache_dir, check_answers, verify, bound, translate, plain, progress)
        results.append((where, case, r))
        if r.status != "lifted":
            break
    if intervals and not results:
        return LiftResult(kernel.name, "failed", guide=guide, grammar=grammar, enumerator=enumerator,
                          searched="nothing: in no case of the flags does the kernel write an array or "
                                   "return a value", seconds=time.monotonic() - start)
    result = results[0][2] if len(cases) == 1 else \
        _guarded(intervals, results, idle, [s.name for s in flatten(kernel)])
    need = required_scope(require_proof)
    if need and result.status == "lifted" and not meets(result, need):
        result.status = "failed"
        what = f"proved for sizes up to {result.verification_bound} only" if result.verification == "proved" \
            else f"not proved ({result.verification_reason or 'verification was not run'})"
        result.searched = f"found {result.program} but it is {what}; --require-proof {need}"
    result.seconds = time.monotonic() - start
    return result


MAX_CASES = 27

PROOF_SCOPES = ("all-sizes", "bounded")
"""What `--require-proof` may ask for: a proof for every size, or any proof (`bounded`, the
weakest, is what a plain `--require-proof` asks)."""


def required_scope(require_proof: Union[bool, str, None]) -> Optional[str]:
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


def kernel_cases(kernel: A.Kernel, intervals: dict) -> list[tuple[Optional[Condition], dict, dict]]:
    """Every case of the kernel: a case of its size checks (the sizes it covers; None when it
    checks none) with a case of its flags (and the flags' values for it)."""
    wheres = size_cases(kernel, kernel_dims(kernel)) or [None]
    flags = flag_cases(intervals)
    if len(wheres) * len(flags) > MAX_CASES:
        raise UnsupportedConstruct(f"{len(wheres)} cases of the size checks times {len(flags)} of the flags: "
                                   f"more than {MAX_CASES} programs to find")
    return [(where, case, fixed) for where in wheres for case, fixed in flags]


def kernel_dims(kernel: A.Kernel) -> set[str]:
    """The kernel's size parameters."""
    slots = flatten(kernel)
    return {n for n, r in scalar_roles(slots, analyse_flows(kernel, slots)).items() if r == "dimension"}


def flag_intervals_of(kernel: A.Kernel) -> dict:
    """The flags of a kernel (integer parameters that only choose code), each with the
    intervals of its values that the code tells apart."""
    slots = flatten(kernel)
    roles = scalar_roles(slots, analyse_flows(kernel, slots))
    out = {}
    for s in slots:
        if roles.get(s.name) == "flag" and s.field is None and not s.is_global:
            ivs = flag_intervals(kernel, s.name, s.dtype)
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
        merged.searched = f"when {cond(w, c)}: {failed.searched}"
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
        scopes = [r.verification_scope for r in verdicts]
        merged.verification_scope = next((s for s in ("fixed-sizes", "bounded", "all-sizes") if s in scopes), None)
        bounds = [r.verification_bound for r in verdicts if r.verification_bound is not None]
        merged.verification_bound = min(bounds) if bounds else None
        merged.verification_bounds = least_bounds([r.verification_bounds for r in verdicts])
    if unknown is not None and unknown.verification_reason:
        w, c = next((w, c) for w, c, r in results if r is unknown)
        merged.verification_reason = f"when {cond(w, c)}: {unknown.verification_reason}"
    return merged


def _lift(kernel, analysis, exs, budget: Budget, guide, grammar, enumerator, answers, samples,
          offline, model, cache_dir, check_answers, verify, bound, translate=True, plain=False,
          progress=None) -> LiftResult:
    from .synth.guide import no_guidance, static_guidance, write_order
    from .synth.learn import learned_guidance, merge, read_answers
    sig = analysis.signature
    result = LiftResult(kernel.name, "failed", guide=guide, grammar=grammar, enumerator=enumerator,
                        analysis=analysis, examples=exs)
    deadline = budget.deadline
    verifier = None
    if verify == "bounded":
        from .verify.prove import Verifier      # z3 only when proving
        verifier = Verifier(analysis, bound, progress)

    texts = _answers(kernel, sig, guide, answers, samples, offline, model, cache_dir, check_answers)
    said = read_answers(texts, sig) if texts is not None else None
    if said is not None:
        result.answers_total, result.answers_parsed = said.total, said.parsed_count
        correct = _correct_answers(said, sig, exs, verifier, deadline)
        result.answers_correct = len(correct)
    if check_answers or (guide == "auto" and said is not None and correct):
        # `auto` takes an answer that is right as written (proved first) before searching
        correct.sort(key=lambda c: c[1] is None or c[1].verdict != "proved")
        result.guidance = "llm" if check_answers else "answers"
        result.candidates = correct[0][2] if correct else len({str(p) for ps in said.mapped for p in ps if p})
        unseen = next((c[1] for c in correct if c[1] is not None and c[1].unseen_store), None)
        if unseen is not None:
            result.searched = unseen.reason
        elif correct:
            result.status, result.program = "lifted", correct[0][0]
            result.examples_checked = len(exs)
            _record_proof(result, verifier, [correct[0][1]] if correct[0][1] else [])
        else:
            result.searched = f"none of the {said.total} answers is right as written"
        return result

    static = static_guidance(analysis)
    if guide == "none":
        guidance, grammar = no_guidance(analysis), "full"   # equal weights over everything
        result.grammar = grammar
    elif guide == "static" or said is None:
        guidance = static
    elif guide == "llm":
        guidance = learned_guidance(said, sig)
    else:
        guidance = merge(learned_guidance(said, sig), static)
    if not translate or plain:
        guidance.outputs = {o: replace(h, translations=[t for t in h.translations if translate and t.plain])
                            for o, h in guidance.outputs.items()}
    result.guidance = guidance.name
    feeds = {o: set(h.arrays) for o, h in merge(guidance, static).outputs.items()}
    order = write_order(analysis, static.writes, feeds)
    program = synthesize(analysis, exs, guidance, order, deadline, result, verifier, grammar, enumerator)
    if program is not None:
        result.status = "lifted"
        result.program = program
        result.examples_checked = len(exs)
    return result


def _choose(what: str, value: str, allowed) -> None:
    if value not in allowed:
        raise TensorliftError(f"unknown {what} '{value}' (choose from {', '.join(allowed)})")


def _answers(kernel, sig, guide, answers, samples, offline, model, cache_dir, check_answers) -> Optional[list[str]]:
    """The model's answers: given, or asked of the configured model (through the cache)."""
    from .llm import Cache, build_prompt, load_answers_file
    if isinstance(answers, list):
        return answers
    if answers is not None:
        return load_answers_file(answers)
    wants = guide in ("auto", "llm") or check_answers
    config = model or ModelConfig.from_env()
    if not wants:
        return None
    if config is None:
        if guide == "llm" or check_answers or offline:
            raise TensorliftError("no model configured: set TENSORLIFT_MODEL (and OPENAI_BASE_URL, "
                                  "OPENAI_API_KEY) or give recorded answers with --answers FILE")
        return None
    from .llm.client import sample_answers
    messages = build_prompt(kernel.source, kernel.name, sig, kernel.language)
    got = sample_answers(config, messages, samples, cache=Cache(cache_dir), offline=offline)
    return list(got.answers)


def _correct_answers(said: Answers, sig, exs, verifier, deadline) -> list[tuple[Program, object, int]]:
    """Answers right as written: every output matches the examples and the verifier does
    not refute the program. Each distinct program is checked once; each comes with the
    number of distinct programs checked up to it (its candidate count)."""
    from .synth.check import check_program
    verdicts: dict[str, object] = {}
    correct = []
    for programs in said.mapped:
        for prog in programs:
            if prog is None or not covers_outputs(prog, sig):
                continue
            key = str(prog)
            if key not in verdicts:
                verdicts[key] = None
                if check_program(prog, sig, exs):
                    proof = None
                    if verifier is not None:
                        proof = verifier.prove(prog, timeout=max(1.0, deadline - time.monotonic()))
                    verdicts[key] = proof if proof is None or proof.verdict != "refuted" else False
                else:
                    verdicts[key] = False
            if verdicts[key] is not False:
                correct.append((prog, verdicts[key], len(verdicts)))
                break
    return correct


def covers_outputs(prog: Program, sig) -> bool:
    return {st.lhs.name for st in prog.statements} >= set(sig.outputs)


def least_bounds(bounds: list) -> Optional[dict]:
    """What several bounded proofs all cover: each dimension's smallest bound."""
    out: dict = {}
    for b in bounds:
        for d, n in (b or {}).items():
            out[d] = min(out.get(d, n), n)
    return out or None


def _record_proof(result: LiftResult, verifier, proofs) -> None:
    if verifier is None:
        return
    unknown = [v for v in proofs if v.verdict != "proved"]
    result.verification = "unknown" if unknown else "proved"
    scopes = [v.scope for v in proofs]
    # the weakest scope of the statements' proofs is what the program's proof covers
    result.verification_scope = None if unknown else next(
        (s for s in ("fixed-sizes", "bounded", "all-sizes") if s in scopes), None)
    bounded = [v for v in proofs if v.scope == "bounded" and v.bound is not None]
    result.verification_bound = min(v.bound for v in bounded) if bounded else None
    result.verification_bounds = least_bounds([v.bounds for v in bounded])
    result.verification_model = verifier.model
    result.verification_reason = unknown[0].reason if unknown else None


def synthesize(analysis: Analysis, exs: list[Example], guidance: Guidance, order: list[str],
               deadline: float, result: LiftResult, verifier=None,
               style: str = "learned", enumerator: str = "top-down") -> Optional[Program]:
    """One statement per output, each the cheapest that matches the examples and that the
    verifier does not refute (a refuted candidate is dropped and the search goes on)."""
    from .synth.check import Checker, check_program
    from .synth.grammar import build_grammar
    from .synth.guide import Hints
    from .taco.ir import Program
    if enumerator == "top-down":
        from .synth.topdown import Search
    else:
        from .synth.bottomup import BottomUp as Search
    sig = analysis.signature
    if not order and (analysis.where is not None or analysis.fixed):
        # one case of several in which the kernel computes nothing (`if (n > 1024) return;`)
        if verifier is not None:
            proof = verifier.prove(Program(()), timeout=max(1.0, deadline - time.monotonic()))
            if proof.unseen_store:
                result.searched = proof.reason
                return None
            _record_proof(result, verifier, [proof])
        return Program(())
    if not order:
        result.searched = "nothing: the kernel writes no array and returns no value"
        return None
    readable = {p.name for p in sig.arrays if p.access in ("read", "readwrite")}
    statements = []
    verdicts = []
    done: list[str] = []
    avoid = {p.name for p in sig.params} | {sig.function}
    for out in order:
        operands = readable | set(done)
        hints = guidance.outputs.get(out) or Hints()
        if hints.limit:
            result.searched = f"'{out}' is not expressible in index notation: {hints.limit}"
            result.final = True
            return None
        g = build_grammar(analysis, out, hints, operands, style)
        search = Search(g, avoid)
        chosen = None
        check = Checker(sig, exs, out, done)
        translated = [st for st in hints.translations if check(st)]
        result.candidates += len(hints.translations)
        for stmt in itertools.chain(translated, search.passing(check, deadline)):
            if verifier is None:
                chosen = stmt
                break
            # the outputs before this one are proved already, and their statements stay
            proof = verifier.prove(Program(tuple(statements) + (stmt,)), outputs=[out],
                                   timeout=max(1.0, deadline - time.monotonic()))
            result.verification_seconds += proof.seconds
            if proof.unseen_store:     # the examples do not show what the kernel does
                result.searched = proof.reason
                return None
            if proof.verdict == "refuted":
                result.refuted += 1
                continue
            verdicts.append(proof)
            chosen = stmt
            break
        result.candidates += search.candidates
        if chosen is None:
            why = "searched every program of the grammar" if search.exhausted else "time limit reached"
            result.searched = f"no program for '{out}' after {search.candidates} candidates ({why})"
            return None
        statements.append(chosen)
        done.append(out)
    program = Program(tuple(statements))
    if not check_program(program, sig, exs):   # the statements together, as the user will run them
        result.searched = "the per-output statements disagree with the examples when run together"
        return None
    _record_proof(result, verifier, verdicts)
    return program
