import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))


@pytest.fixture(scope="session")
def kernel_dir(tmp_path_factory):
    """Where the kernels of extended_kernels.py are written, once per test process."""
    return tmp_path_factory.mktemp("extended")
