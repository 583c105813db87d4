"""Every corpus kernel is analysed as its expectation (`<name>.expect.json`) says."""
import pytest

from benchmarks.corpus import load_corpus
from tensorlift.c.affine import parse_affine
from tensorlift.api import analyze

ENTRIES = load_corpus()


def _normalise(sig: dict) -> dict:
    """Tied sizes are interchangeable: shapes are compared with each tie group renamed to
    its first member."""
    rename = {}
    for group in sig.get("tied_sizes", []):
        for name in group[1:]:
            rename[name] = parse_affine(group[0])
    params = []
    for p in sig["params"]:
        p = dict(p)
        if "shape" in p:
            p["shape"] = [str(parse_affine(e).substitute(rename)) for e in p["shape"]]
        params.append(p)
    return {"params": params, "returns": sig["returns"],
            "tied_sizes": sorted(sorted(g) for g in sig.get("tied_sizes", []))}


def test_corpus_is_large_and_varied():
    assert len(ENTRIES) >= 60
    assert len({e.path.parent.name for e in ENTRIES}) >= 10


@pytest.mark.slow
@pytest.mark.parametrize("entry", ENTRIES, ids=[e.name for e in ENTRIES])
def test_analysis_matches_expectation(entry):
    got = analyze(entry.path, entry.function, examples=0).to_json()
    assert got["function"] == entry.function
    assert _normalise(got) == _normalise(entry.expect)
