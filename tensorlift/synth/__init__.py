"""Search for programs: guidance, the probabilistic grammar, the enumerators, the checks."""
from ..modes import GRAMMAR_STYLES, GUIDES

__all__ = ["GRAMMAR_STYLES", "GUIDES"]
