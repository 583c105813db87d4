"""The targets, their files and the libraries they need (nothing else: the CLI and the
pipeline read them before the harness compile starts; emitting is backends/code.py, running
and checking the code backends/check.py)."""
from __future__ import annotations

from ..errors import TensorliftError
from ..modes import TARGETS

SUFFIX = {"taco": ".taco", "numpy": "_numpy.py", "torch": "_torch.py", "jax": "_jax.py", "tensora": "_tensora.py"}
"""How a file of each target's code ends (`gemv_numpy.py`)."""

# target -> (module that must be importable, what it is, extra to install)
NEEDS = {
    "torch": ("torch", "PyTorch", "torch"),
    "jax": ("jax", "JAX", "jax"),
    "tensora": ("tensora", "tensora", "tensora"),
}


def check_target(target: str) -> None:
    if target not in TARGETS:
        raise TensorliftError(f"unknown target {target!r}; valid targets: {', '.join(TARGETS)}")


def missing_library(target: str) -> str:
    module, what, extra = NEEDS[target]
    return f"target {target} needs {what}: pip install 'tensorlift[{extra}]'"


def targets_of(text: str) -> list[str]:
    """The targets of a comma-separated list (`--target numpy,jax`)."""
    targets = [t.strip() for t in text.split(",") if t.strip()]
    bad = [t for t in targets if t not in TARGETS]
    if bad or not targets:
        raise TensorliftError(f"unknown target '{(bad or [text])[0]}' (choose from {', '.join(TARGETS)})")
    return targets
