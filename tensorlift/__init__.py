"""tensorlift: lift C tensor kernels to verified TACO index notation.

    import tensorlift
    result = tensorlift.lift("kernel.c")      # or C source text
    print(result.program, result.verification)
"""
__version__ = "0.1.0"


__all__ = ["analyze", "lift", "verify", "LiftOptions", "__version__"]


def __getattr__(name: str):
    """`tensorlift.lift` and the rest of the API (api.py) load with the pipeline when first
    used: `import tensorlift` and `tensorlift --version` stay fast."""
    if name in ("analyze", "lift", "verify", "LiftOptions"):
        from . import api
        return getattr(api, name)
    raise AttributeError(f"module 'tensorlift' has no attribute {name!r}")
