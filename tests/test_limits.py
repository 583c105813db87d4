"""What index notation cannot say is refused as such, at once, with the reason: never a
program that is not what the C does, never a search that runs out the clock."""
import pytest

from helpers import ROOT, cli_main

LIMITS = ROOT / "tests" / "data" / "limits"
REASONS = {
    "argmax.c": "is a loop index",             # an index result
    "prefix_sum.c": "recurrence",              # a scan
    "lu.c": "recurrence",                      # an in-place factorisation
    "leading_positive.c": "depends on data",   # a data-dependent trip count
    "trmm.c": "triangular reduction",          # a sum from an outer index on
}


@pytest.mark.parametrize("name", sorted(REASONS))
def test_refused_as_not_expressible(name, capfd):
    proc = cli_main(capfd, "lift", LIMITS / name, "--timeout", "60")
    assert proc.returncode in (1, 2), proc.stdout
    message = proc.stderr.strip()
    assert "not expressible" in message and REASONS[name] in message, message
    assert len(message.splitlines()) == 1 and "Traceback" not in message


def test_every_limit_file_is_tested():
    assert sorted(p.name for p in LIMITS.glob("*.c")) == sorted(REASONS)


def test_a_vla_region_the_trace_cannot_fit_takes_its_declared_shape(capfd):
    """trmm reads A[k][i] for k > i only: a triangle whose rows start further in at each
    step; the declaration `A[m][m]` gives the shape."""
    import json
    proc = cli_main(capfd, "analyze", LIMITS / "trmm.c", "--json")
    assert proc.returncode == 0, proc.stderr
    params = {p["name"]: p for p in json.loads(proc.stdout)["params"]}
    assert params["A"]["shape"] == ["m", "m"] and params["B"]["shape"] == ["m", "n"]
