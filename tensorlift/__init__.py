"""tensorlift: lift C tensor kernels to verified TACO index notation."""
__version__ = "0.1.0"
