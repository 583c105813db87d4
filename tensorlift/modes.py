"""The words a lift's options and results take, each set once: the choices of the options
(the CLI's and the API's), and the statuses and verdicts a result reports."""
from __future__ import annotations

from typing import Literal, get_args

Guide = Literal["auto", "llm", "static", "none"]
"""Where the grammar's weights come from (see `pipeline.lift`)."""

GrammarStyle = Literal["learned", "equal", "full", "answers-only"]
"""learned: every type-correct production, weighted by the guidance, smoothed.
equal: the productions the guidance saw (all operators kept), equal weights.
full: every type-correct production, equal weights.
answers-only: only the productions the guidance saw, weighted by their counts."""

Enumerator = Literal["top-down", "bottom-up"]
VerifyMode = Literal["bounded", "none"]

ProofScope = Literal["all-sizes", "bounded"]
"""What `--require-proof` may ask for: a proof for every size, or any proof (`bounded`, the
weakest, is what a plain `--require-proof` asks)."""

Target = Literal["taco", "numpy", "torch", "jax", "tensora"]
"""What code a lifted program is emitted as (backends/)."""

Status = Literal["lifted", "failed", "error"]
Verification = Literal["proved", "unknown", "not-run"]
Guidance = Literal["llm+static", "llm", "static", "none", "answers"]
"""What guided the search (`answers`: an answer right as written was taken, no search)."""

GUIDES: tuple[Guide, ...] = get_args(Guide)
GRAMMAR_STYLES: tuple[GrammarStyle, ...] = get_args(GrammarStyle)
ENUMERATORS: tuple[Enumerator, ...] = get_args(Enumerator)
VERIFY_MODES: tuple[VerifyMode, ...] = get_args(VerifyMode)
PROOF_SCOPES: tuple[ProofScope, ...] = get_args(ProofScope)
TARGETS: tuple[Target, ...] = get_args(Target)
