"""The corpus keeps its answers out of what the model reads: every kernel's expectation is in a
sidecar `<name>.expect.json`, and the prompt built from the kernel file holds none of it."""
import json

import pytest

from benchmarks.corpus import EXPECT_SUFFIX, ROOT, expectation_path, kernel_files, load_corpus
from tensorlift.llm.prompt import CONVENTIONS, build_prompt

ENTRIES = load_corpus()


def test_every_kernel_has_a_sidecar_and_every_sidecar_a_kernel():
    kernels = kernel_files(ROOT)
    assert len(kernels) >= 100
    assert [k for k in kernels if not expectation_path(k).exists()] == []
    known = {expectation_path(k) for k in kernels}
    orphans = [s for s in ROOT.rglob(f"*{EXPECT_SUFFIX}") if s not in known]
    assert orphans == []
    assert len(ENTRIES) == len(kernels)


@pytest.mark.parametrize("entry", ENTRIES, ids=[e.name for e in ENTRIES])
def test_prompt_holds_no_expectation(entry):
    prompt = "\n".join(m["content"] for m in build_prompt(entry.path.read_text(), entry.function,
                                                          signature=None))
    # the fixed conventions show `y(i) = A(i,j) * x(j)` and `dot = a(i) * b(i)` to every kernel
    prompt = prompt.replace(CONVENTIONS, "")
    assert "tensorlift-expect" not in prompt
    assert entry.program not in prompt
    flat = "".join(prompt.split())
    for statement in entry.program.split(";"):
        assert "".join(statement.split()) not in flat
    # the sidecar is plain JSON for this kernel
    assert json.loads(expectation_path(entry.path).read_text())["function"] == entry.function


def _check_corpus():
    """corpus/check_corpus.py as a module (it is a script beside the kernels, not a package)."""
    import importlib.util
    import sys
    spec = importlib.util.spec_from_file_location("check_corpus", ROOT / "check_corpus.py")
    module = importlib.util.module_from_spec(spec)
    writes = sys.dont_write_bytecode
    spec.loader.exec_module(module)          # it turns bytecode off to keep the corpus clean
    sys.dont_write_bytecode = writes
    return module


CHECK = _check_corpus()


@pytest.mark.parametrize("entry", ENTRIES, ids=[e.name for e in ENTRIES])
def test_sidecar_follows_the_conventions(entry):
    """The static checks of check_corpus.py (no compiler): keys, names, shapes, C++ sizes and
    returned shapes, the program's names and orders, `plain`."""
    assert CHECK.check_expectation(entry.expect, entry.path.suffix in CHECK.CPP_SUFFIXES) == []


def test_cpp_category():
    cpp = [e for e in ENTRIES if e.path.parent.name == "cpp"]
    assert all(e.path.suffix == ".cpp" for e in cpp)
    assert len(cpp) >= 24 and sum(e.plain for e in cpp) >= 12
    # the C++ conventions: sizes come from .size(), so they are never C parameters
    for e in cpp:
        assert not set(e.expect.get("sizes", [])) & {p["name"] for p in e.expect["params"]}


@pytest.mark.parametrize("entry", ENTRIES, ids=[e.name for e in ENTRIES])
def test_program_is_tensorlifts_notation(entry):
    """No corpus dialect: tensorlift's parser reads every program, and `plain` is what
    tensorlift's `Statement.plain` says of its statements."""
    from tensorlift.taco.ir import Program
    from tensorlift.taco.parse import parse_program
    program = parse_program(entry.program)
    assert isinstance(program, Program)
    assert entry.plain == all(st.plain for st in program.statements)
    assert not (ROOT / "notation.py").exists()


def test_corpus_covers_the_extended_notation():
    """Issue 14: kernels for every construct of the extended notation are in the corpus."""
    from tensorlift.taco.ir import BinOp, Call, Reduce, accesses, children
    from tensorlift.taco.parse import parse_program

    def nodes(e):
        yield e
        for c in children(e):
            yield from nodes(c)

    seen = set()
    for e in ENTRIES:
        for st in parse_program(e.program).statements:
            if st.domain is not None:
                seen.add("domain")
            if any(not isinstance(i, str) for a in accesses(st.rhs) for i in a.indices):
                seen.add("index expression")
            for n in nodes(st.rhs):
                if isinstance(n, Reduce):
                    seen.add(f"{n.op} reduction")
                elif isinstance(n, Call):
                    seen.add(n.func)
                elif isinstance(n, BinOp) and n.op in ("&&", "||"):
                    seen.add("logic")
    assert {"domain", "index expression", "max reduction", "sum reduction", "where", "abs",
            "exp", "sqrt", "pow", "logic"} <= seen
