"""Search for programs: guidance, the probabilistic grammar, the enumerators, the checks."""

GUIDES = ("auto", "llm", "static", "none")
"""Where the grammar's weights come from (see `pipeline.lift`)."""

GRAMMAR_STYLES = ("learned", "equal", "full", "answers-only")
"""learned: every type-correct production, weighted by the guidance, smoothed.
equal: the productions the guidance saw (all operators kept), equal weights.
full: every type-correct production, equal weights.
answers-only: only the productions the guidance saw, weighted by their counts."""
