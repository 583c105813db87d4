"""The kernel AST: the small, typed tree that the interpreter, the analysis and the verifier
read. The front end builds it from libclang's cursors; nothing downstream sees libclang.

Every expression carries its C type as clang computed it, and clang's implicit conversions
(integer promotions, the usual arithmetic conversions, int to float) are explicit `Cast`
nodes, so C's typing rules live in the compiler, not in us. Nodes compare by identity: an
access site is a node, and two `a[i]` on one line are two sites.
"""
from __future__ import annotations

from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Optional, Union

from ..errors import UnsupportedConstruct

# ---------------------------------------------------------------- types


@dataclass(frozen=True)
class Scalar:
    """An arithmetic type, named by its dtype (`carith.DTYPES`): "int", "uint8", "double"..."""
    dtype: str


@dataclass(frozen=True)
class Void:
    pass


@dataclass(frozen=True)
class Pointer:
    target: "Type"


@dataclass(frozen=True)
class Array:
    """`elem[size]`; `size` is an expression (a literal, or a VLA's size) or None (`[]`)."""
    elem: "Type"
    size: Optional["Expr"] = field(default=None, compare=False, hash=False)


@dataclass(frozen=True)
class Struct:
    """A struct or union by name; its fields are in `Unit.structs`."""
    name: str


@dataclass(frozen=True)
class Vector:
    """C++ `std::vector<elem>` (and `std::array<elem, N>`, whose size is fixed)."""
    elem: "Type"
    fixed: Optional[int] = None


@dataclass(frozen=True)
class Ref:
    """A C++ reference: the parameter is the caller's object."""
    target: "Type"


@dataclass(frozen=True)
class FunctionType:
    pass


Type = Union[Scalar, Void, Pointer, Array, Struct, Vector, Ref, FunctionType]
VOID = Void()
INT = Scalar("int")


def strip_ref(t: Type) -> Type:
    return t.target if isinstance(t, Ref) else t


def element(t: Type) -> Type:
    """The scalar or struct at the bottom of pointers, arrays and vectors (`float **` -> float)."""
    t = strip_ref(t)
    while isinstance(t, (Pointer, Array, Vector)):
        t = t.target if isinstance(t, Pointer) else t.elem
    return t


def levels(t: Type) -> int:
    """How many pointer, array or vector levels lead to the element."""
    n, t = 0, strip_ref(t)
    while isinstance(t, (Pointer, Array, Vector)):
        n += 1
        t = t.target if isinstance(t, Pointer) else t.elem
    return n


# ---------------------------------------------------------------- expressions


@dataclass(eq=False)
class Node:
    line: int


@dataclass(eq=False)
class Lit(Node):
    value: Union[int, float]
    type: Type
    macro: Optional[str] = None       # the object-like macro this literal came from (`N`)


@dataclass(eq=False)
class Name(Node):
    name: str
    type: Type
    scope: str = "local"              # "local" | "param" | "global" | "function"


@dataclass(eq=False)
class Unary(Node):
    op: str                           # - + ! ~ * & ++ -- p++ p--  (p: postfix)
    operand: "Expr"
    type: Type


@dataclass(eq=False)
class Binary(Node):
    op: str                           # + - * / % << >> & | ^ < > <= >= == != && ||
    left: "Expr"
    right: "Expr"
    type: Type


@dataclass(eq=False)
class Assign(Node):
    op: str                           # = += -= *= /= %= <<= >>= &= |= ^=
    target: "Expr"
    value: "Expr"
    type: Type


@dataclass(eq=False)
class Cond(Node):
    cond: "Expr"
    then: "Expr"
    other: "Expr"
    type: Type


@dataclass(eq=False)
class Cast(Node):
    expr: "Expr"
    type: Type
    implicit: bool = False


@dataclass(eq=False)
class Call(Node):
    func: str
    args: list
    type: Type


@dataclass(eq=False)
class Index(Node):
    """`base[index]`, also a vector's `operator[]` and `.at()`."""
    base: "Expr"
    index: "Expr"
    type: Type


@dataclass(eq=False)
class Member(Node):
    base: "Expr"
    field: str
    arrow: bool
    type: Type


@dataclass(eq=False)
class Method(Node):
    """A C++ vector method: size, push_back, emplace_back, resize, back, front, clear."""
    obj: "Expr"
    method: str
    args: list
    type: Type


@dataclass(eq=False)
class Construct(Node):
    """A C++ vector made from arguments: `vector<T>()`, `(n)`, `(n, x)`, or a copy."""
    args: list
    type: Type


@dataclass(eq=False)
class Comma(Node):
    exprs: list
    type: Type


@dataclass(eq=False)
class InitList(Node):
    items: list
    type: Type


@dataclass(eq=False)
class StmtExpr(Node):
    """GNU `({ ...; e; })`, as glibc writes `assert`: the value of its last statement."""
    body: "Block"
    type: Type


Expr = Union[Lit, Name, Unary, Binary, Assign, Cond, Cast, Call, Index, Member, Method, Construct,
             Comma, InitList, StmtExpr]

# ---------------------------------------------------------------- statements


@dataclass(eq=False)
class Block(Node):
    items: list
    scoped: bool = True          # False: `int i, j;`, declarations of the enclosing scope


@dataclass(eq=False)
class Decl(Node):
    name: str
    type: Type
    init: Optional[Expr] = None


@dataclass(eq=False)
class ExprStmt(Node):
    expr: Expr


@dataclass(eq=False)
class If(Node):
    cond: Expr
    then: "Stmt"
    other: Optional["Stmt"] = None


@dataclass(eq=False)
class Loop(Node):
    """Every loop form: `for (init; cond; step) body`, `while`, `do ... while` (test_first
    False), and C++ range-for over a vector (`over` is the vector, `init` declares the
    loop variable)."""
    init: Optional["Stmt"]
    cond: Optional[Expr]
    step: Optional[Expr]
    body: "Stmt"
    test_first: bool = True
    over: Optional[Expr] = None


@dataclass(eq=False)
class Jump(Node):
    kind: str                         # "break" | "continue"


@dataclass(eq=False)
class Return(Node):
    value: Optional[Expr] = None


Stmt = Union[Block, Decl, ExprStmt, If, Loop, Jump, Return]

# ---------------------------------------------------------------- functions and files


@dataclass(eq=False)
class Param:
    name: str
    type: Type
    line: int


@dataclass(eq=False)
class Function:
    name: str
    params: list[Param]
    returns: Type
    body: Block
    line: int
    type_spelling: str = ""          # the function's type, as C++ spells it (to take its address)
    qualified: str = ""              # its name with the namespaces around it (`k::vadd`)


@dataclass(eq=False)
class Global:
    """A variable at file scope that a kernel uses: an array or a scalar, maybe constant."""
    name: str
    type: Type
    init: Optional[Expr]
    const: bool
    line: int
    offset: int = 0          # in its file: globals keep their declaration order
    definition: Optional[str] = None   # C that defines it, when the file only declares it (`extern`)


@dataclass
class Macro:
    """An object-like macro whose value is an integer (`#define N 64`) and where it is
    defined (file None: on the command line). A macro of a system header is never varied."""
    name: str
    value: int
    file: Optional[str]
    line: int
    system: bool = False


@dataclass
class Span:
    """Source lines start..end of a function: a region (`c/regions.py`)."""
    function: str
    start: int
    end: int

    @property
    def lines(self) -> str:
        return f"{self.start}-{self.end}"

    @property
    def name(self) -> str:
        """How the user reads it: `forward:120-131`."""
        return f"{self.function}:{self.lines}"


@dataclass
class RegionSource(Span):
    """Where an outlined region comes from (`c/outline.py`), and the C definition of
    `tl_region`, a function of the region's inputs holding its statements, compiled after
    the user's file."""
    c_text: str = ""


@dataclass
class Kernel:
    """One function to lift and everything it needs: the functions it calls, the globals it
    uses, struct layouts, and how to compile the file it came from. A region of a function
    (`region`) is a kernel too: its `function` is the outlined region."""
    name: str
    function: Function
    functions: dict[str, Function]
    globals: dict[str, Global]
    structs: dict[str, list[tuple[str, Type]]]
    source: str
    path: Optional[Path]
    language: str                      # "c" | "c++"
    flags: list[str] = field(default_factory=list)
    macros: dict[str, Macro] = field(default_factory=dict)  # integer macros the kernel uses
    includes: list[str] = field(default_factory=list)      # files the source includes
    pinned: dict[tuple, int] = field(default_factory=dict)  # (param, via, field, k): struct fields held at one value
    region: Optional[RegionSource] = None
    sources: list[tuple[str, list[str]]] = field(default_factory=list)   # other files of the project it calls into, with their flags

    @property
    def params(self) -> list[Param]:
        return self.function.params

    @property
    def returns(self) -> Type:
        return self.function.returns

    def field_type(self, struct: Struct, name: str) -> Type:
        for n, t in self.structs.get(struct.name, ()):
            if n == name:
                return t
        raise UnsupportedConstruct(f"unknown field '{name}' of {struct.name}")


def field_path(e) -> str:
    """The slot name of a struct-field expression (`a->dimensions[0]` -> `a.dimensions[0]`,
    `p->child[0]->x` -> `p.child[0].x`)."""
    if isinstance(e, Index) and isinstance(e.index, Lit) and isinstance(e.base, Member):
        return f"{field_path(e.base)}[{e.index.value}]"
    if isinstance(e, Member):
        path = node_path(e.base)
        if path is not None:
            return path_name(*path, e.field)
    return "<expr>"


def node_path(e) -> Optional[tuple[str, tuple]]:
    """(variable, ((field, k), ...)) of an expression naming a struct reached from a
    variable through pointer fields at constant subscripts (`p->child[0]`), else None."""
    while isinstance(e, Cast) or isinstance(e, Unary) and e.op == "*":
        e = e.expr if isinstance(e, Cast) else e.operand
    if isinstance(e, Name):
        return (e.name, ()) if e.scope != "function" else None
    if isinstance(e, Index) and isinstance(e.index, Lit) and isinstance(e.base, Member) \
            and is_link(e.base.type):
        inner = node_path(e.base.base)
        if inner is not None:
            return inner[0], inner[1] + ((e.base.field, e.index.value),)
    return None


def path_name(param: str, via: tuple, tail: str = "") -> str:
    """`p.child[0]` (and `.x` with tail "x")."""
    return ".".join([param, *(f"{f}[{k}]" for f, k in via), *([tail] if tail else [])])


def is_link(t: Type) -> bool:
    """A field that points to other nodes (`struct node **child`)."""
    return isinstance(element(t), Struct) and levels(t) >= 1


def walk(node):
    """Every node of a subtree (statements and expressions), the node itself first."""
    yield node
    for child in children(node):
        yield from walk(child)


def transform(node, fn):
    """The tree rebuilt bottom-up in place: every node's children first, then `fn` of the
    node, whose result takes its place (types and their size expressions are left alone)."""
    if isinstance(node, list):
        return [transform(x, fn) for x in node]
    if not isinstance(node, Node):
        return node
    for f in fields(node):
        v = getattr(node, f.name)
        if isinstance(v, (Node, list)):
            setattr(node, f.name, transform(v, fn))
    return fn(node)


def structure(node) -> tuple:
    """A node's structure without its position: equal subscripts, equal statements compare
    equal."""
    own = tuple(None if isinstance(v, Node) else v
                for v in (getattr(node, f, None) for f in ("name", "op", "value", "method", "field", "func")))
    return (type(node).__name__, own, tuple(structure(c) for c in children(node)))


def children(node) -> list:
    if isinstance(node, (Lit, Name, Jump)) or node is None:
        return []
    if isinstance(node, Unary):
        return [node.operand]
    if isinstance(node, (Binary,)):
        return [node.left, node.right]
    if isinstance(node, Assign):
        return [node.target, node.value]
    if isinstance(node, Cond):
        return [node.cond, node.then, node.other]
    if isinstance(node, Cast):
        return [node.expr]
    if isinstance(node, (Call, Construct)):
        return list(node.args)
    if isinstance(node, Index):
        return [node.base, node.index]
    if isinstance(node, Member):
        return [node.base]
    if isinstance(node, Method):
        return [node.obj, *node.args]
    if isinstance(node, Comma):
        return list(node.exprs)
    if isinstance(node, InitList):
        return list(node.items)
    if isinstance(node, StmtExpr):
        return [node.body]
    if isinstance(node, Block):
        return list(node.items)
    if isinstance(node, Decl):
        return [node.init] if node.init is not None else []
    if isinstance(node, ExprStmt):
        return [node.expr]
    if isinstance(node, If):
        return [x for x in (node.cond, node.then, node.other) if x is not None]
    if isinstance(node, Loop):
        return [x for x in (node.init, node.over, node.cond, node.step, node.body) if x is not None]
    if isinstance(node, Return):
        return [node.value] if node.value is not None else []
    return []
