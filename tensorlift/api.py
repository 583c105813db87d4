"""The Python API: what the CLI formats. A file path or C source text is accepted."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional, Union

from .c.analysis import Analysis, analyze_kernel
from .c.examples import make_examples
from .c.frontend import load_kernel
from .pipeline import LiftResult, lift
from .signature import Example, Signature


@dataclass
class AnalyzeResult:
    signature: Signature
    examples: list[Example]
    analysis: Analysis = field(repr=False)

    def to_json(self) -> dict:
        d = self.signature.to_json()
        d["examples"] = [e.to_json() for e in self.examples]
        return d


def analyze(source: Union[str, Path], function: Optional[str] = None, *, examples: int = 3,
            seed: int = 0) -> AnalyzeResult:
    analysis = analyze_kernel(load_kernel(source, function))
    exs = make_examples(analysis, examples, seed=seed) if examples > 0 else []
    return AnalyzeResult(analysis.signature, exs, analysis)


__all__ = ["analyze", "lift", "AnalyzeResult", "LiftResult"]
