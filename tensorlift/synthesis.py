"""The search side of a lift: a kernel's analysis and examples in, its program out, through
the model's answers, the guidance, the grammar, the enumerators, the checks on the examples
and the prover; then each target's code, checked. It loads NumPy and z3: the pipeline
imports it once the harness compile has started (and preloads it meanwhile)."""
from __future__ import annotations

import itertools
import time
from dataclasses import replace
from typing import TYPE_CHECKING, Optional, Sequence

from .backends.check import emit_result
from .budget import Budget
from .c import ast as A
from .c.analysis import Analysis
from .errors import TensorliftError
from .llm import Cache, build_prompt, load_answers_file
from .llm.config import ModelConfig
from .signature import Example
from .synth.bottomup import BottomUp
from .synth.check import Checker, check_program
from .synth.grammar import build_grammar
from .synth.guide import Guidance, Hints, no_guidance, static_guidance, write_order
from .synth.learn import Answers, learned_guidance, merge, read_answers
from .synth.topdown import Search as TopDown
from .taco.ir import Program
from .verify.prove import Verifier
from .verify.result import least_bounds, weakest

if TYPE_CHECKING:
    from .pipeline import LiftOptions, LiftResult


def find_program(result: LiftResult, kernel: A.Kernel, analysis: Analysis, exs: list[Example], budget: Budget,
                 options: LiftOptions) -> LiftResult:
    """Fill `result` (status "failed", no program yet) with what the search finds for the
    kernel: the answers right as written, else the cheapest program of the grammar the
    guidance weighs, each statement checked on the examples and not refuted by the prover."""
    sig = analysis.signature
    guide, grammar, check_answers = options.guide, options.grammar, options.check_answers
    deadline = budget.deadline
    verifier = Verifier(analysis, options.bound, options.progress) if options.verify == "bounded" else None

    texts = _answers(kernel, sig, options)
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
            result.why_not_lifted = unseen.reason
        elif correct:
            result.status, result.program = "lifted", correct[0][0]
            result.examples_checked = len(exs)
            _record_proof(result, verifier, [correct[0][1]] if correct[0][1] else [])
        else:
            result.why_not_lifted = f"none of the {said.total} answers is right as written"
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
    if not options.translate or options.plain_only:
        guidance.outputs = {o: replace(h, translations=[t for t in h.translations if options.translate and t.plain])
                            for o, h in guidance.outputs.items()}
    result.guidance = guidance.name
    feeds = {o: set(h.arrays) for o, h in merge(guidance, static).outputs.items()}
    order = write_order(analysis, static.writes, feeds)
    program = synthesize(analysis, exs, guidance, order, deadline, result, verifier, grammar, options.enumerator)
    if program is not None:
        result.status = "lifted"
        result.program = program
        result.examples_checked = len(exs)
    return result


def _answers(kernel: A.Kernel, sig, options: LiftOptions) -> Optional[list[str]]:
    """The model's answers: given, or asked of the configured model (through the cache)."""
    answers, guide, check_answers = options.answers, options.guide, options.check_answers
    if isinstance(answers, list):
        return answers
    if answers is not None:
        return load_answers_file(answers)
    wants = guide in ("auto", "llm") or check_answers
    config = options.model or ModelConfig.from_env()
    if not wants:
        return None
    if config is None:
        if guide == "llm" or check_answers or options.offline:
            raise TensorliftError("no model configured: set TENSORLIFT_MODEL (and OPENAI_BASE_URL, "
                                  "OPENAI_API_KEY) or give recorded answers with --answers FILE")
        return None
    from .llm.client import sample_answers
    messages = build_prompt(kernel.source, kernel.name, sig, kernel.language)
    got = sample_answers(config, messages, options.samples, cache=Cache(options.cache_dir), offline=options.offline)
    return list(got.answers)


def _correct_answers(said: Answers, sig, exs, verifier, deadline) -> list[tuple[Program, object, int]]:
    """Answers right as written: every output matches the examples and the verifier does
    not refute the program. Each distinct program is checked once; each comes with the
    number of distinct programs checked up to it (its candidate count)."""
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


def _record_proof(result: LiftResult, verifier, proofs) -> None:
    if verifier is None:
        return
    unknown = [v for v in proofs if v.verdict != "proved"]
    result.verification = "unknown" if unknown else "proved"
    # the weakest scope of the statements' proofs is what the program's proof covers
    result.verification_scope = None if unknown else weakest(v.scope for v in proofs)
    bounded = [v for v in proofs if v.scope == "bounded" and v.bound is not None]
    result.verification_bound = min(v.bound for v in bounded) if bounded else None
    result.verification_bounds = least_bounds([v.bounds for v in bounded])
    result.verification_model = verifier.model
    result.verification_reason = unknown[0].reason if unknown else None


def synthesize(analysis: Analysis, exs: list[Example], guidance: Guidance, order: list[str],
               deadline: float, result: LiftResult, verifier: Optional[Verifier] = None,
               style: str = "learned", enumerator: str = "top-down") -> Optional[Program]:
    """One statement per output, each the cheapest that matches the examples and that the
    verifier does not refute (a refuted candidate is dropped and the search goes on)."""
    Search = TopDown if enumerator == "top-down" else BottomUp
    sig = analysis.signature
    if not order and (analysis.where is not None or analysis.fixed):
        # one case of several in which the kernel computes nothing (`if (n > 1024) return;`)
        if verifier is not None:
            proof = verifier.prove(Program(()), timeout=max(1.0, deadline - time.monotonic()))
            if proof.unseen_store:
                result.why_not_lifted = proof.reason
                return None
            _record_proof(result, verifier, [proof])
        return Program(())
    if not order:
        result.why_not_lifted = "nothing: the kernel writes no array and returns no value"
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
            result.why_not_lifted = f"'{out}' is not expressible in index notation: {hints.limit}"
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
                result.why_not_lifted = proof.reason
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
            result.why_not_lifted = f"no program for '{out}' after {search.candidates} candidates ({why})"
            return None
        statements.append(chosen)
        done.append(out)
    program = Program(tuple(statements))
    if not check_program(program, sig, exs):   # the statements together, as the user will run them
        result.why_not_lifted = "the per-output statements disagree with the examples when run together"
        return None
    _record_proof(result, verifier, verdicts)
    return program


def emit_code(result: LiftResult, targets: Sequence[str]) -> None:
    """Each target's code for a lifted result, run on its examples first (`result.code`), and
    why a target has none (`result.code_errors`): a mismatch is an error, never code."""
    for t in targets:
        try:
            result.code[t] = emit_result(t, result)
        except TensorliftError as e:
            result.code_errors[t] = str(e)
        except Exception as e:     # a bug of ours: the kernel keeps its program
            result.code_errors[t] = f"internal error: {type(e).__name__}: {e}"
