"""The operator table (`taco/ops.py`) and the shared static rules (`taco/typing.py`): every
stage that reads them agrees with them."""
import numpy as np
import pytest

from tensorlift.backends.arrays import NumpyDialect
from tensorlift.llm.answers import parse_answer
from tensorlift.signature import Param, Signature
from tensorlift.taco import ops
from tensorlift.taco.evaluate import EvalError, evaluate, index_extents
from tensorlift.taco.parse import parse_program
from tensorlift.taco.typing import ExtentError, dtypes_of, extents
from tensorlift.verify import symbolic


@pytest.mark.parametrize("name", sorted(ops.FUNCTIONS))
def test_every_function_parses_prints_and_evaluates(name):
    op = ops.FUNCTIONS[name]
    args = ", ".join(["x(i)"] * op.arity)
    program = parse_program(f"y(i) = {name}({args})")
    assert str(program) == f"y(i) = {name}({args})"
    x = np.array([0.25, 1.5, 4.0])
    got = evaluate(program, {"x": x, "y": np.zeros(3)}, {"x": "double", "y": "double"})["y"]
    assert got.shape == (3,) and np.all(np.isfinite(got))


@pytest.mark.parametrize("name", sorted(ops.FUNCTIONS))
def test_every_function_has_its_library_spellings(name):
    op = ops.FUNCTIONS[name]
    assert callable(getattr(np, op.numpy))
    assert callable(getattr(np, op.jax))     # jax.numpy follows NumPy's names
    assert op.torch


def test_the_int_division_by_zero_rule_holds_in_every_stage():
    zero = ops.INT_DIVISION_BY_ZERO
    got = evaluate(parse_program("y(i) = a(i) / b(i)"), {"a": np.array([7, -7, 5]), "b": np.array([2, 2, 0]),
                                                         "y": np.zeros(3, dtype=np.int64)},
                   {"a": "int", "b": "int", "y": "int"})["y"]
    assert got.tolist() == [3, -3, zero]
    assert symbolic.arith("/", 5, 0) == zero and symbolic.arith("%", 5, 0) == zero
    helpers = {"np": np}
    exec(NumpyDialect().helpers, helpers)
    assert helpers["_c_div"](np.array([7, -7, 5]), np.array([2, 2, 0])).tolist() == [3, -3, zero]


def test_answers_accept_every_c_spelling():
    for c_name, name in ops.FROM_C.items():
        programs = parse_answer(f"y(i) = {c_name}({', '.join(['x(i)'] * ops.ARITY[name])})")
        assert programs and programs[0].statements[0].rhs.func == name, c_name


def test_precedence_brackets_what_binds_looser():
    text = "y(i) = -(a(i) + b(i)) * c(i) / (d(i) - a(i)) || !(a(i) < b(i)) && c(i) == d(i)"
    assert str(parse_program(text)) == text


def test_extents_of_a_part_read_and_of_a_disagreement():
    st = parse_program("y(i) = a(i) * b(i,j) + where(i < 1, c(j), 0)").statements[0]
    shapes = {"y": (2,), "a": (3,), "b": (2, 4), "c": (4,)}
    assert extents(st.lhs, st.rhs, lambda a: shapes[a.name], shapes["y"]) == {"i": 2, "j": 4}
    shapes["a"] = (1,)          # shorter than the output: not a part read
    with pytest.raises(ExtentError, match="index i runs to 2 but a has 1"):
        extents(st.lhs, st.rhs, lambda a: shapes[a.name], shapes["y"])
    shapes["a"], shapes["c"] = (3,), (5,)
    with pytest.raises(ExtentError, match="index j has extents 4 and 5"):
        extents(st.lhs, st.rhs, lambda a: shapes[a.name], shapes["y"])
    with pytest.raises(EvalError, match="index j has extents 4 and 5"):
        index_extents(st, {k: np.zeros(v) for k, v in shapes.items()})


def test_the_dtype_map_names_the_returned_value():
    sig = Signature("dot", [Param("n", "scalar", "int", role="dimension"),
                            Param("a", "array", "float", access="read", shape=["n"])], returns="double")
    assert dtypes_of(sig) == {"n": "int", "a": "float", "dot": "double"}
