"""tensorlift: lift C tensor kernels to verified TACO index notation.

    import tensorlift
    result = tensorlift.lift("kernel.c")      # or C source text
    print(result.program, result.verification)
"""
__version__ = "0.1.0"


def lift(source, function=None, **options):
    from .pipeline import lift as _lift
    return _lift(source, function, **options)


def analyze(source, function=None, **options):
    from .api import analyze as _analyze
    return _analyze(source, function, **options)
