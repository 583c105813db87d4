"""The one tree rewrite (`ir.transform`) and the passes built on it: the mapping of a model's
answer onto the kernel's names, and the translation's substitutions."""
from tensorlift.signature import Param, Signature
from tensorlift.synth.learn import map_program
from tensorlift.taco import ir
from tensorlift.taco.parse import parse_program


def _rowmax() -> Signature:
    """`void rowmax(int n, int m, const float *A, const float *x, float *y, float *z)`."""
    return Signature("rowmax", [
        Param("n", "scalar", "int", role="dimension"), Param("m", "scalar", "int", role="dimension"),
        Param("A", "array", "float", access="read", shape=["n", "m"]),
        Param("x", "array", "float", access="read", shape=["m"]),
        Param("y", "array", "float", access="write", shape=["n"]),
        Param("z", "array", "float", access="readwrite", shape=["n", "n"]),
    ])


def _mapped(text: str) -> str:
    program = map_program(parse_program(text), _rowmax())
    return None if program is None else str(program)


def test_reductions_are_renamed_inside():
    assert _mapped("Y(i) = max(j, M(i,j))") == "y(i) = max(j, A(i,j))"
    assert _mapped("Y(i) = min(j, M(i,j) * X(j))") == "y(i) = min(j, A(i,j) * x(j))"
    assert _mapped("Y(i) = prod(j, M(i,j))") == "y(i) = prod(j, A(i,j))"
    assert _mapped("Y(i) = sum(j, M(i,j)) + max(X(k))") == "y(i) = sum(j, A(i,j)) + max(x(k))"


def test_a_reduction_with_an_unmappable_name_maps_nothing():
    """An answer naming one more order-2 tensor than the kernel has: nothing to map it onto."""
    assert _mapped("Y(i) = max(j, M(i,j) + Q(i,j) + P(i,j))") is None


def test_conditions_and_selects_are_renamed():
    assert _mapped("Y(i) = where(!(M(i,0) > 0), 0, M(i,0))") == "y(i) = where(!(A(i,0) > 0), 0, A(i,0))"
    assert _mapped("Y(i) = where(X(i) > 0 && X(i) < 1, X(i), 0)") == "y(i) = where(x(i) > 0 && x(i) < 1, x(i), 0)"


def test_a_position_used_as_a_number_is_not_a_tensor():
    assert _mapped("Z(i,j) = where(j <= i, Z(i,j), 0)") == "z(i,j) = where(j <= i, z(i,j), 0)"


def test_a_statements_domain_is_kept():
    assert _mapped("Z(i,j) = M(i,0) * 2 for j <= i") == "z(i,j) = A(i,0) * 2 for j <= i"
    st = map_program(parse_program("Z(i,j) += 1 for j <= i"), _rowmax()).statements[0]
    assert st.accumulate and str(st.domain) == "j <= i"


def test_transform_keeps_every_field():
    program = parse_program("z(i,j) += max(k, A(i,k) * x(k)) + where(!(i < j), 1, 0) for j <= i")
    st = program.statements[0]
    same = ir.transform_statement(st, lambda x: None)
    assert same == st
    renamed = ir.transform_statement(st, lambda x: ir.Access(x.name.upper(), x.indices)
                                     if isinstance(x, ir.Access) and x.indices else None)
    assert str(renamed) == "Z(i,j) += max(k, A(i,k) * X(k)) + where(!(i < j), 1, 0) for j <= i"


def test_transform_replaces_one_node_by_identity():
    e = parse_program("y(i) = a(i) + a(i)").statements[0].rhs
    out = ir.transform(e, lambda x: ir.Const(0) if x is e.right else None)
    assert str(out) == "a(i) + 0"
