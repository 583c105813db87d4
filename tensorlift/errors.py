"""Errors a user sees as one line. Each carries the exit code the CLI returns."""

# exit codes: success; not lifted / refuted / not proved; bad input; a bug; interrupted
EXIT_OK, EXIT_NOT_FOUND, EXIT_BAD_INPUT, EXIT_INTERNAL, EXIT_INTERRUPTED = 0, 1, 2, 3, 130


class TensorliftError(Exception):
    """Bad input or an environment we cannot work in: the CLI prints it and exits 2."""
    exit_code = 2


class UnsupportedConstruct(TensorliftError):
    def __init__(self, what: str, line: int | None = None):
        super().__init__(f"unsupported construct: {what}" + (f" at line {line}" if line else ""))


class KernelRunError(TensorliftError):
    """The C kernel crashed, timed out or could not be compiled."""


class ModelError(TensorliftError):
    """The language-model server is unreachable or answered garbage."""
