"""What index notation cannot say is refused as such, at once, with the reason: never a
program that is not what the C does, never a search that runs out the clock."""
import pytest

from helpers import ROOT, cli

LIMITS = ROOT / "tests" / "data" / "limits"
REASONS = {
    "argmax.c": "is a loop index",             # an index result
    "prefix_sum.c": "recurrence",              # a scan
    "lu.c": "recurrence",                      # an in-place factorisation
    "leading_positive.c": "depends on data",   # a data-dependent trip count
}


@pytest.mark.parametrize("name", sorted(REASONS))
def test_refused_as_not_expressible(name):
    proc = cli("lift", LIMITS / name, "--timeout", "60")
    assert proc.returncode in (1, 2), proc.stdout
    message = proc.stderr.strip()
    assert "not expressible" in message and REASONS[name] in message, message
    assert len(message.splitlines()) == 1 and "Traceback" not in message


def test_every_limit_file_is_tested():
    assert sorted(p.name for p in LIMITS.glob("*.c")) == sorted(REASONS)
