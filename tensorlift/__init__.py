"""tensorlift: lift C tensor kernels to verified TACO index notation.

    import tensorlift
    result = tensorlift.lift("kernel.c")      # or C source text
    print(result.program, result.verification)
"""
__version__ = "0.1.0"


__all__ = ["analyze", "lift", "LiftOptions", "__version__"]


def __getattr__(name: str):
    """`tensorlift.lift`, `analyze` and `LiftOptions` (api.py) load with the pipeline when
    first used: `import tensorlift` and `tensorlift --version` stay fast. (`verify` is the
    subpackage; the function is `tensorlift.api.verify`.)"""
    if name in ("analyze", "lift", "LiftOptions"):
        from . import api
        return getattr(api, name)
    raise AttributeError(f"module 'tensorlift' has no attribute {name!r}")
