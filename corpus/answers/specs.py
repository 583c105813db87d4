"""Hand-written answers for every corpus kernel (read by make_answers.py).

For each kernel: how many of its ten answers are correct, a few phrases a model would use to
name the computation, the formulas of correct answers (`ok`), the formulas of wrong ones
(`bad`), and whole answers written out (`v`). A formula is TACO-like text, statements on
separate lines; `(shown, meaning)` gives the meaning when the checker cannot read the text.
A `bad` formula that starts with `~` computes the same thing in another way (different
operators, a temporary of its own, split statements): not correct as written, but listed in
equivalent.json.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional, Union


@dataclass(frozen=True)
class Entry:
    text: str
    ok: bool
    sem: Optional[str]
    alt: bool = False
    verbatim: bool = False
    hedge: bool = False   # wrong, though the answer parser finds a right program in it


@dataclass
class Spec:
    n_ok: int
    desc: list[str]
    ok: list[Entry]
    bad: list[Entry]
    verbatim: list[Entry] = field(default_factory=list)


SPECS: dict[str, Spec] = {}
HARD: set[str] = set()

Item = Union[str, tuple[str, Optional[str]]]


def _entries(items: list[Item], ok: bool) -> list[Entry]:
    out = []
    for it in items:
        text, sem = it if isinstance(it, tuple) else (it, it)
        alt = text.startswith("~")
        hedge = text.startswith("!")
        if alt or hedge:
            text = text[1:]
            if sem is not None and sem[:1] in "~!":
                sem = sem[1:]
        out.append(Entry(text, ok, sem, alt, hedge=hedge))
    return out


def V(text: str, ok: bool = False, sem: Optional[str] = None, alt: bool = False,
      hedge: bool = False) -> Entry:
    """A whole answer, written out."""
    if ok and sem is None:
        raise ValueError(f"a correct answer needs its meaning: {text!r}")
    return Entry(text, ok, sem, alt, verbatim=True, hedge=hedge)


def K(key: str, n_ok: int, desc: list[str], ok: list[Item], bad: list[Item],
      v: tuple[Entry, ...] = (), hard: bool = False) -> None:
    SPECS[key] = Spec(n_ok, desc, _entries(ok, True), _entries(bad, False), list(v))
    if hard:
        HARD.add(key)


# ================================================================ blas

K("blas/axpy", 6, ["a scaled vector addition, the BLAS daxpy", "y := a*x + y", "an AXPY update"],
  ok=["y(i) = a * x(i) + y(i)", "y(i) += a * x(i)", "y(i) = y(i) + a * x(i)", "y(k) = a*x(k) + y(k)",
      "y(i) = x(i) * a + y(i)"],
  bad=["y(i) = a * x(i)", "y(i) = alpha * x(i) + y(i)", "y(i) = a(i) * x(i) + y(i)",
       "y(i) += a * x(i) + y(i)"],
  v=(V("For y = a*x + y, the TACO form is simply y = a * x + y, since all three are vectors of length n."),))

K("blas/dot", 5, ["the dot product of x and y", "an inner product", "a single-precision dot product"],
  ok=["dot = x(i) * y(i)", "x(i) * y(i)", "result = x(i) * y(i)", "x(i) * y(i) => sum()",
      "acc = x(i)*y(i)", "dot = sum(i, x(i) * y(i))"],
  bad=["dot(i) = x(i) * y(i)", "acc += x(i) * y(i)", "z(i) = x(i) * y(i)", "dot = x(i) * y(j)",
       "sdot = x(i) + y(i)"])

K("blas/gemm", 5, ["a matrix-matrix multiplication", "the integer matrix product C = A B", "a GEMM"],
  ok=["C(i,j) = A(i,k) * B(k,j)", "C(i,j) = sum(k, A(i,k) * B(k,j))", "C(i, j) = A(i, k) * B(k, j)",
      "C(m,n) = A(m,k) * B(k,n)", "C(i,j) = B(k,j) * A(i,k)"],
  bad=["C(i,j) += A(i,k) * B(k,j)", "C(i,j) = A(i,k) * B(j,k)", "C(j,i) = A(i,k) * B(k,j)",
       "C(i,j) = A(i,j) * B(i,j)", "sum(i,j) = A(i,k) * B(k,j)"],
  v=(V("```c\nfor (i = 0; i < M; i++)\n  for (j = 0; j < N; j++)\n    C[i*N + j] = sum_k A[i*K + k] * B[k*N + j];\n```"),))

K("blas/gemm_nt", 4, ["C += ALPHA * A * B^T", "a GEMM with the second operand transposed",
                      "a matrix product against B transposed, accumulated into C"],
  ok=["C(i,j) += ALPHA * A(i,k) * B(j,k)", "C(i,j) = C(i,j) + ALPHA * A(i,k) * B(j,k)",
      "C(i,j) += ALPHA * sum(k, A(i,k) * B(j,k))", "C(i,j) += ALPHA * A(i,l) * B(j,l)"],
  bad=["C(i,j) = ALPHA * A(i,k) * B(j,k)", "C(i,j) += ALPHA * A(i,k) * B(k,j)",
       "C(i,j) += A(i,k) * B(j,k)", "C(i,j) += ALPHA * A(i,k) * B(j,k) + C(i,j)",
       "C(i,j) += alpha * A(i,k) * B(j,k)"],
  v=(V("C = ALPHA * A * B^T + C\n\nThe leading dimensions lda, ldb and ldc only describe the storage."),))

K("blas/gemm_strided", 2, ["C := ALPHA*A*B + BETA*C", "a general matrix multiply with alpha and beta",
                           "the BLAS sgemm with leading dimensions"],
  ok=["C(i,j) = BETA * C(i,j) + ALPHA * A(i,k) * B(k,j)",
      "C(i,j) = ALPHA * A(i,k) * B(k,j) + BETA * C(i,j)"],
  bad=["C(i,j) += ALPHA * A(i,k) * B(k,j)", "~C(i,j) = C(i,j) * BETA\nC(i,j) += ALPHA * A(i,k) * B(k,j)",
       "C(i,j) = ALPHA * A(i,k) * B(k,j)", "C(i,j) = BETA * C(i,j) + A_PART(i,k) * B(k,j)",
       "C(i,j) = beta * C(i,j) + alpha * A(i,k) * B(k,j)",
       "C(i,j) = BETA * C(i,j) + ALPHA * A(i,k) * B(j,k)"],
  v=(V("The first loop scales C by BETA, the second adds the product:\n\n```\nC(i,j) *= BETA\nC(i,j) += ALPHA * A(i,k) * B(k,j)\n```",
       sem="C(i,j) *= BETA\nC(i,j) += ALPHA * A(i,k) * B(k,j)", alt=True),
     V("C[i*ldc + j] = BETA*C[i*ldc + j] + ALPHA * A[i*lda + k] * B[k*ldb + j]")),
  hard=True)

K("blas/gemm_tn", 3, ["C += ALPHA * A^T * B", "a GEMM with A transposed", "a transposed-A matrix product"],
  ok=["C(i,j) += ALPHA * A(k,i) * B(k,j)", "C(i,j) = C(i,j) + ALPHA * A(k,i) * B(k,j)",
      "C(i,j) += ALPHA * sum(k, A(k,i) * B(k,j))"],
  bad=["C(i,j) += ALPHA * A(i,k) * B(k,j)", "C(i,j) = ALPHA * A(k,i) * B(k,j)",
       "C(i,j) += A_PART(i,k) * B(k,j)", "C(i,j) += ALPHA * A(k,i) * B(j,k)",
       "C(j,i) += ALPHA * A(k,i) * B(k,j)", "C(i,j) = C(i,j) + A(k,i) * B(k,j)"],
  v=(V("Since A is stored K x M, A^T(i,k) = A(k,i). Hoisting A_PART does not change the math:\n\nC(i,j) += ALPHA * A(i,k) * B(k,j)",
       sem="C(i,j) += ALPHA * A(i,k) * B(k,j)"),),
  hard=True)

K("blas/gemv", 6, ["a matrix-vector product", "y = A x", "a dense GEMV"],
  ok=["y(i) = A(i,j) * x(j)", "y(i) = A(i,k)*x(k)", "y(i) = sum(j, A(i,j) * x(j))", "y(i) = x(j) * A(i,j)",
      "y(r) = A(r,c) * x(c)", "y(i) := A(i,j) * x(j)"],
  bad=["y(i) += A(i,j) * x(j)", "y(i) = A(j,i) * x(j)", "y(j) = A(i,j) * x(i)", "y(i) = A(i,j) * x(i)",
       "out(i) = M(i,j) * v(j)", "Y(i) = A(i,j) * x(j)"],
  v=(V("y(i) = A(i,j) * x(j)\n\nIf y should be accumulated instead of overwritten, use y(i) += A(i,j) * x(j).", hedge=True),))

K("blas/gemv_ab", 2, ["y := alpha*A*x + beta*y", "the BLAS dgemv", "a scaled matrix-vector product"],
  ok=["y(i) = alpha * A(i,j) * x(j) + beta * y(i)", "y(i) = beta * y(i) + alpha * A(i,j) * x(j)",
      "y(i) = alpha * sum(j, A(i,j) * x(j)) + beta * y(i)"],
  bad=["y(i) += alpha * A(i,j) * x(j) + beta * y(i)", "y(i) = alpha * A(i,j) * x(j)",
       "~t(i) = A(i,j) * x(j)\ny(i) = alpha * t(i) + beta * y(i)", "y(i) = alpha * A(j,i) * x(j) + beta * y(i)",
       "y(i) = alpha * A(i,j) * x(j) + beta", "y(i) += alpha * A(i,j) * x(j)"],
  v=(V("y = alpha * A * x + beta * y"),
     V("Using a temporary for the dot product of each row:\n\n```\nt(i) = A(i,j) * x(j)\ny(i) = alpha * t(i) + beta * y(i)\n```",
       sem="t(i) = A(i,j) * x(j)\ny(i) = alpha * t(i) + beta * y(i)", alt=True)),
  hard=True)

K("blas/gemv_colmajor", 3, ["a matrix-vector product on a column-major matrix, accumulated into y",
                            "y += A x with A in Fortran order"],
  ok=["y(i) += A(j,i) * x(j)", "y(i) = y(i) + A(j,i) * x(j)", "y(i) += x(j) * A(j,i)"],
  bad=["y(i) += A(i,j) * x(j)", "y(i) = A(i,j) * x(j)", "y(i) = A(j,i) * x(j)", "y(i) = y(i) + A(i,j) * x(j)",
       "y(i) += A(i,j) * xj"],
  v=(V("The matrix is column-major, so element (i, j) sits at A[i + j*m]. In index notation that is just the usual product:\n\ny(i) += A(i,j) * x(j)",
       sem="y(i) += A(i,j) * x(j)"),
     V("y(i) += A(i + j*m) * x(j)")),
  hard=True)

K("blas/gemv_t", 4, ["a transposed matrix-vector product", "y = a^T x", "a GEMV with the matrix transposed"],
  ok=["y(j) = a(i,j) * x(i)", "y(i) = a(j,i) * x(j)", "y(j) = sum(i, a(i,j) * x(i))", "y(j) = x(i) * a(i,j)"],
  bad=["y(j) += a(i,j) * x(i)", "y(i) = a(i,j) * x(j)", "y(j) = a(j,i) * x(i)", "y(j) = A(i,j) * x(i)",
       "~y(j) = 0\ny(j) += a(i,j) * x(i)"])

K("blas/ger", 4, ["a rank-1 update", "A := alpha*x*y^T + A", "the BLAS sger outer-product update"],
  ok=["A(i,j) += alpha * x(i) * y(j)", "A(i,j) = A(i,j) + alpha * x(i) * y(j)",
      "A(i,j) = alpha * x(i) * y(j) + A(i,j)", "A(r,c) += alpha * x(r) * y(c)"],
  bad=["A(i,j) = alpha * x(i) * y(j)", "A(i,j) += alpha * x(j) * y(i)", "A(i,j) += x(i) * y(j)",
       "A(i,j) += t(i) * y(j)", "A(i,j) += alpha * x(i) * y(i)"],
  v=(V("This is an outer product: A = alpha * x ⊗ y + A"),))

K("blas/scal", 6, ["an in-place vector scaling", "x := alpha*x", "the BLAS sscal"],
  ok=["x(i) = alpha * x(i)", "x(i) = x(i) * alpha", "x(i) *= alpha", "x(j) = alpha*x(j)"],
  bad=["x(i) += alpha * x(i)", "y(i) = alpha * x(i)", "x(i) = alpha", "x = alpha * x"],
  v=(V("```c\nfor (i = 0; i < n; i++) x[i] *= alpha;\n```\nThis is already as simple as it gets; TACO would generate the same loop."),))

# ================================================================ blend

K("blend/color_burn", 4, ["a color burn blend", "the color burn blend mode on 8-bit pixels"],
  ok=["out(i) = select(active(i) == 0, 255, 255 - (255 - base(i)) / active(i))",
      "out(i) = select(active(i) != 0, 255 - (255 - base(i)) / active(i), 255)",
      "out(i) = select(active(i) == 0, 255, 255 - (255-base(i))/active(i))"],
  bad=["out(i) = 255 - (255 - base(i)) / active(i)",
       "out(i) = select(active(i) == 0, 255, 255 - (255 - active(i)) / base(i))",
       "out(i) = max(0, 255 - (255 - base(i)) * 255 / active(i))",
       "out(i) = select(active(i) == 0, 255, (255 - base(i)) / active(i))"],
  v=(V("out(i) = active(i) == 0 ? 255 : 255 - (255 - base(i)) / active(i)"),
     V("TACO does not support conditionals, so the branch cannot be expressed. Ignoring the zero case:\n\nout(i) = 255 - (255 - base(i)) / active(i)",
       sem="out(i) = 255 - (255 - base(i)) / active(i)")))

K("blend/darken_blend", 6, ["a darken blend", "an element-wise minimum of two images",
                            "the darken blend mode"],
  ok=["out(i,j) = min(base(i,j), active(i,j))", "out(i,j) = min(active(i,j), base(i,j))",
      "out(row,col) = min(base(row,col), active(row,col))", "out(i, j) = min(base(i, j), active(i, j))"],
  bad=["out(i,j) = max(base(i,j), active(i,j))",
       "~out(i,j) = select(base(i,j) < active(i,j), base(i,j), active(i,j))",
       "out(i) = min(base(i), active(i))", "out(i,j) = min(base(i,j), active(j,i))"],
  v=(V("out(i,j) = base(i,j) < active(i,j) ? base(i,j) : active(i,j)"),))

K("blend/difference_blend", 4, ["a difference blend", "the absolute difference of two images"],
  ok=["out(i,j) = select(base(i,j) > active(i,j), base(i,j) - active(i,j), active(i,j) - base(i,j))",
      "out(i,j) = select(active(i,j) < base(i,j), base(i,j) - active(i,j), active(i,j) - base(i,j))",
      "out(x,y) = select(base(x,y) > active(x,y), base(x,y) - active(x,y), active(x,y) - base(x,y))"],
  bad=["~out(i,j) = abs(base(i,j) - active(i,j))", "out(i,j) = base(i,j) - active(i,j)",
       "~out(i,j) = fabs(base(i,j) - active(i,j))", "out(i,j) = max(base(i,j) - active(i,j), 0)",
       "out(i,j) = select(base(i,j) > active(i,j), active(i,j) - base(i,j), base(i,j) - active(i,j))"],
  v=(V("out[i][j] = b > a ? b - a : a - b, i.e. |base - active| per pixel"),))

K("blend/lighten_blend", 6, ["a lighten blend", "an element-wise maximum of two images"],
  ok=["out(i,j) = max(base(i,j), active(i,j))", "out(i,j) = max(active(i,j), base(i,j))",
      "out(row,col) = max(base(row,col), active(row,col))", "out(i,j) = fmaxf(base(i,j), active(i,j))"],
  bad=["out(i,j) = min(base(i,j), active(i,j))",
       "~out(i,j) = select(base(i,j) > active(i,j), base(i,j), active(i,j))",
       "out(i,j) = max(base(i,j))", "out(i,j) = base(i,j) + active(i,j)"],
  v=(V("if base > active then out = base else out = active. This is an element-wise max, which plain TACO cannot express."),))

K("blend/linear_burn", 6, ["a linear burn blend", "the linear burn blend without clamping"],
  ok=["out(i,j) = base(i,j) + active(i,j) - 255", "out(row,col) = base(row,col) + active(row,col) - 255",
      "out(i,j) = active(i,j) + base(i,j) - 255"],
  bad=["out(i,j) = max(base(i,j) + active(i,j) - 255, 0)", "out(i,j) = base(i,j) + active(i,j) - 1",
       "out(i,j) = 255 - base(i,j) - active(i,j)", "out(i,j) = base(i,j) * active(i,j) - 255"])

K("blend/linear_dodge", 5, ["a linear dodge blend", "a saturating addition of two images"],
  ok=["out(i,j) = min(base(i,j) + active(i,j), 255)", "out(i,j) = min(255, base(i,j) + active(i,j))",
      "out(r,c) = min(base(r,c) + active(r,c), 255)"],
  bad=["out(i,j) = base(i,j) + active(i,j)", "out(i,j) = max(base(i,j) + active(i,j), 255)",
       "~s(i,j) = base(i,j) + active(i,j)\nout(i,j) = min(s(i,j), 255)",
       "~out(i,j) = select(base(i,j) + active(i,j) > 255, 255, base(i,j) + active(i,j))"],
  v=(V("out(i,j) = s > 255 ? 255 : s, where s = base(i,j) + active(i,j)"),))

K("blend/multiply_blend", 7, ["a multiply blend", "an element-wise product of two images"],
  ok=["out(i,j) = base(i,j) * active(i,j)", "out(row,col) = base(row,col) * active(row,col)",
      "out(i,j) = active(i,j) * base(i,j)"],
  bad=["out(i,j) = base(i,k) * active(k,j)", "out(i) = base(i) * active(i)", "out(i,j) = base(i,j) * active(j,i)"])

K("blend/normal_blend_8", 4, ["a normal blend with opacity in fixed point", "alpha compositing on 8-bit pixels"],
  ok=["out(i) = (opacity * active(i) + (255 - opacity) * base(i)) / 255",
      "out(i) = ((255 - opacity) * base(i) + opacity * active(i)) / 255",
      "out(j) = (opacity*active(j) + (255 - opacity)*base(j)) / 255"],
  bad=["out(i) = opacity * active(i) / 255 + (255 - opacity) * base(i) / 255",
       "out(i) = opacity * active(i) + (1 - opacity) * base(i)",
       "out(i) = (opacity * base(i) + (255 - opacity) * active(i)) / 255",
       "out(i) = (opacity * active(i) + (255 - opacity) * base(i)) / 256"],
  v=(V("out(i) = (opacity * active(i) + (255 - opacity) * base(i)) >> 8"),))

K("blend/normal_blend_f", 5, ["a normal blend with opacity", "linear alpha blending of two images"],
  ok=["out(i) = opacity * active(i) + (1 - opacity) * base(i)",
      "out(i) = (1 - opacity) * base(i) + opacity * active(i)",
      "out(i) = opacity * active(i) + (1.0 - opacity) * base(i)"],
  bad=["out(i) = opacity * base(i) + (1 - opacity) * active(i)",
       "~out(i) = base(i) + opacity * (active(i) - base(i))",
       "out(i) = opacity * active(i) + (1 - opacity)", "out(i) = opacity * active(i) + 1 - opacity * base(i)"])

K("blend/overlay_blend", 4, ["an overlay blend", "the overlay blend mode, multiply in the shadows and screen in the highlights"],
  ok=["out(i) = select(base(i) < 0.5, 2 * base(i) * active(i), 1 - 2 * (1 - base(i)) * (1 - active(i)))",
      "out(i) = select(base(i) >= 0.5, 1 - 2 * (1 - base(i)) * (1 - active(i)), 2 * base(i) * active(i))",
      "out(i) = select(base(i) < 0.5, 2*base(i)*active(i), 1 - 2*(1-base(i))*(1-active(i)))"],
  bad=["out(i) = select(active(i) < 0.5, 2 * base(i) * active(i), 1 - 2 * (1 - base(i)) * (1 - active(i)))",
       "out(i) = select(base(i) < 0.5, 2 * base(i) * active(i), 1 - (1 - base(i)) * (1 - active(i)))",
       "out(i) = 2 * base(i) * active(i)",
       "out(i) = select(base(i) < 0.5, 1 - 2 * (1 - base(i)) * (1 - active(i)), 2 * base(i) * active(i))"],
  v=(V("out(i) = base(i) < 0.5 ? 2*base(i)*active(i) : 1 - 2*(1 - base(i))*(1 - active(i))"),
     V("Overlay needs a per-element branch, which TACO index notation has no construct for. You would have to compute both halves and mask them outside of TACO.")))

K("blend/screen_blend", 6, ["a screen blend", "the screen blend mode on normalised pixels"],
  ok=["out(i,j) = base(i,j) + active(i,j) - base(i,j) * active(i,j)",
      "out(row,col) = base(row,col) + active(row,col) - base(row,col) * active(row,col)",
      "out(i,j) = active(i,j) + base(i,j) - active(i,j) * base(i,j)"],
  bad=["~out(i,j) = 1 - (1 - base(i,j)) * (1 - active(i,j))", "out(i,j) = base(i,j) * active(i,j)",
       "out(i,j) = base(i,j) + active(i,j)", "out(i,j) = base(i,j) + active(i,j) - base(i,k) * active(k,j)"])

# ================================================================ darknet

K("darknet/add_bias", 5, ["a per-channel bias addition", "a broadcast bias addition over batch and spatial positions"],
  ok=["output(b,i,j) += biases(i)", "output(b,i,j) = output(b,i,j) + biases(i)", "output(b,c,k) += biases(c)",
      "output(b,i,j) = biases(i) + output(b,i,j)"],
  bad=["output(b,i,j) = biases(i)", "output(b,i,j) += biases(j)", "output(i,j) += biases(i)",
       "output(b,i,j) += bias(i)"],
  v=(V("for each b, i, j: output[(b*n + i)*size + j] += biases[i]"),))

K("darknet/axpy_cpu", 6, ["an AXPY", "Y += ALPHA * X"],
  ok=["Y(i) += ALPHA * X(i)", "Y(i) = Y(i) + ALPHA * X(i)", "Y(i) = ALPHA * X(i) + Y(i)", "Y(j) += ALPHA*X(j)"],
  bad=["Y(i) = ALPHA * X(i)", "y(i) += alpha * x(i)", "Y(i) += X(i)", "Y(i) += ALPHA * X(i) + Y(i)"])

K("darknet/copy_cpu", 7, ["a vector copy", "a copy from X to Y"],
  ok=["Y(i) = X(i)", "Y(j) = X(j)"],
  bad=["X(i) = Y(i)", "Y(i) += X(i)", "Y = X"],
  v=(V("This function copies N floats from X to Y; in TACO that is just an assignment of one tensor to another."),))

K("darknet/fill_cpu", 6, ["a constant fill of a vector", "a fill of X with ALPHA"],
  ok=["X(i) = ALPHA", "X(j) = ALPHA"],
  bad=["X(i) = 0", "X(i) = ALPHA * X(i)", "X(i) = ALPHA(i)", "X = ALPHA"],
  v=(V("Fill: X[i] = ALPHA for i in 0..N. In TACO: X(i) = ALPHA", ok=True, sem="X(i) = ALPHA"),))

K("darknet/l2_cpu", 4, ["the L2 loss and its gradient", "a squared-error loss with the gradient"],
  ok=["error(i) = (truth(i) - pred(i)) * (truth(i) - pred(i))\ndelta(i) = truth(i) - pred(i)",
      "error(i) = (truth(i)-pred(i))*(truth(i)-pred(i)); delta(i) = truth(i)-pred(i)",
      "delta(i) = truth(i) - pred(i)\nerror(i) = (truth(i) - pred(i)) * (truth(i) - pred(i))"],
  bad=["~delta(i) = truth(i) - pred(i)\nerror(i) = delta(i) * delta(i)",
       "~diff(i) = truth(i) - pred(i)\nerror(i) = diff(i) * diff(i)\ndelta(i) = diff(i)",
       "error(i) = (truth(i) - pred(i)) * (truth(i) - pred(i))", "delta(i) = truth(i) - pred(i)",
       "error(i) = (pred(i) - truth(i)) * (pred(i) - truth(i))\ndelta(i) = pred(i) - truth(i)"],
  v=(V("error(i) = (truth(i) - pred(i))^2, delta(i) = truth(i) - pred(i)", sem=None),))

K("darknet/mul_cpu", 5, ["an in-place element-wise product", "Y *= X element-wise"],
  ok=["Y(i) = Y(i) * X(i)", "Y(i) *= X(i)", "Y(i) = X(i) * Y(i)"],
  bad=["Y(i) += Y(i) * X(i)", "Y(i) = X(i)", "Z(i) = X(i) * Y(i)", "Y(i) = Y(i) * X(j)"],
  v=(V("Y = Y .* X (Hadamard product, in place)"),))

K("darknet/mult_add_into_cpu", 6, ["a fused multiply-add into Z", "Z += X * Y element-wise"],
  ok=["Z(i) += X(i) * Y(i)", "Z(i) = Z(i) + X(i) * Y(i)", "Z(i) = X(i) * Y(i) + Z(i)", "Z(j) += X(j)*Y(j)"],
  bad=["Z(i) = X(i) * Y(i)", "Z(i) += X(i) + Y(i)", "Z(i) += X(i) * Y(j)", "Z = Z + X .* Y"])

K("darknet/scal_cpu", 6, ["an in-place scaling", "X *= ALPHA"],
  ok=["X(i) = ALPHA * X(i)", "X(i) *= ALPHA", "X(i) = X(i) * ALPHA"],
  bad=["X(i) += ALPHA * X(i)", "X(i) = ALPHA", "x(i) = alpha * x(i)", "Y(i) = ALPHA * X(i)"])

K("darknet/scale_bias", 5, ["a per-channel scaling of the activations", "a per-channel scaling by the scale factors"],
  ok=["output(b,i,j) = output(b,i,j) * scales(i)", "output(b,i,j) *= scales(i)",
      "output(b,c,k) = scales(c) * output(b,c,k)"],
  bad=["output(b,i,j) = scales(i)", "output(b,i,j) *= scales(j)", "output(b,i,j) += output(b,i,j) * scales(i)",
       "output(i,j) *= scales(i)"])

K("darknet/squared_error_cpu", 6, ["an element-wise squared error", "the squared difference of truth and prediction"],
  ok=["error(i) = (truth(i) - pred(i)) * (truth(i) - pred(i))", "error(i) = (truth(i)-pred(i))*(truth(i)-pred(i))",
      "error(j) = (truth(j) - pred(j)) * (truth(j) - pred(j))"],
  bad=["error(i) = truth(i) - pred(i)", "error = (truth(i) - pred(i)) * (truth(i) - pred(i))",
       "error(i) = (truth(i) - pred(i)) * (truth(j) - pred(j))"],
  v=(V("error(i) = pow(truth(i) - pred(i), 2)"),))

K("darknet/weighted_sum_cpu", 5, ["a weighted sum of two vectors", "an element-wise interpolation controlled by s"],
  ok=["c(i) = s(i) * a(i) + (1 - s(i)) * b(i)", "c(i) = (1 - s(i)) * b(i) + s(i) * a(i)",
      "c(j) = s(j)*a(j) + (1 - s(j))*b(j)"],
  bad=["c(i) = s(i) * b(i) + (1 - s(i)) * a(i)", "c(i) = s(i) * a(i) + (1 - s(i))",
       "c(i) = s * a(i) + (1 - s) * b(i)", "~c(i) = b(i) + s(i) * (a(i) - b(i))"])

# ================================================================ dsp

K("dsp/fir", 6, ["one FIR output sample", "the dot product of the delay line and the taps"],
  ok=["acc = x(i) * h(i)", "x(i) * h(i)", "h(i) * x(i) => sum()", "y = sum(i, x(i) * h(i))", "fir = x(i)*h(i)"],
  bad=["y(i) = x(i) * h(i)", "acc = x(i) * h(ntaps - 1 - i)", "y = x(i) * h(j)"],
  v=(V("y[n] = sum_k h[k] * x[n-k]"),))

K("dsp/fir_block", 4, ["a block FIR filter", "a sliding-window FIR over a block of samples"],
  ok=["y(i) = h(k) * x(i + k)", "y(i) = x(i+k) * h(k)", "y(i) = sum(k, h(k) * x(i + k))", "y(i) = h(j) * x(i + j)"],
  bad=["y(i) = h(k) * x(i - k)", "y(i) = h(k) * x(k)", "y(i) += h(k) * x(i + k)", "y(i) = h(i) * x(i)"],
  v=(V("This is a 1-D correlation. TACO only allows plain index variables in accesses, so x(i+k) is not expressible; the closest is y(i) = h(k) * x(k)",
       sem="y(i) = h(k) * x(k)"),))

K("dsp/lms", 3, ["the LMS weight update", "an LMS adaptive filter update"],
  ok=["w(i) += mu * e * x(i)", "w(i) = w(i) + mu * e * x(i)", "w(i) += e * mu * x(i)"],
  bad=["w(i) = mu * e * x(i)", "w(i) += mu * e(i) * x(i)", "w(i) += mu * x(i)", "w(i) += 2 * mu * e * x(i)",
       "w(i) -= mu * e * x(i)", "w(i) = w(i) + mu * e * x(i + 1)"],
  v=(V("The loop stops at n - 1, so the last weight is untouched; TACO cannot express the shorter range. w = w + mu * e * x"),),
  hard=True)

K("dsp/madd", 7, ["a matrix addition", "an element-wise sum of two matrices"],
  ok=["C(i,j) = A(i,j) + B(i,j)", "C(j,i) = A(j,i) + B(j,i)", "C(i, j) = B(i, j) + A(i, j)"],
  bad=["C(i,j) += A(i,j) + B(i,j)", "C(i) = A(i) + B(i)", "C(i,j) = A(i,j) + B(j,i)"])

K("dsp/matvec", 5, ["an accumulating matrix-vector product", "out += mat * vec"],
  ok=["out(r) += mat(r,c) * vec(c)", "out(i) += mat(i,j) * vec(j)", "out(r) = out(r) + mat(r,c) * vec(c)",
      "out(i) = out(i) + mat(i,j)*vec(j)"],
  bad=["out(r) = mat(r,c) * vec(c)", "out(r) += mat(c,r) * vec(c)", "y(i) += A(i,j) * x(j)",
       "out(r) += mat(r,c) * vec(r)"],
  v=(V("out(r) = mat(r,c) * vec(c)\n\n(or out(r) += mat(r,c) * vec(c) if out is meant to accumulate)", hedge=True),))

K("dsp/mcopy", 7, ["a matrix copy", "a copy from src to dst"],
  ok=["dst(r,c) = src(r,c)", "dst(i,j) = src(i,j)"],
  bad=["src(r,c) = dst(r,c)", "dst(c,r) = src(r,c)", "dst(r) = src(r)"],
  v=(V("for r, c: dst[r*cols + c] = src[r*cols + c]"),))

K("dsp/mfill", 6, ["a constant fill of a matrix", "a constant fill"],
  ok=["A(i,j) = v", "A(r,c) = v"],
  bad=["A(i,j) = 0", "A(i,j) = v(i,j)", "A = v", "A(i,j) += v"])

K("dsp/mneg", 7, ["an element-wise negation of a matrix", "B = -A"],
  ok=["B(i,j) = -A(i,j)", "B(i, j) = -A(i, j)", "B(r,c) = -A(r,c)"],
  bad=["A(i,j) = -A(i,j)", "B(i,j) = A(i,j)", "~B(i,j) = -1 * A(i,j)"])

K("dsp/mscale", 6, ["an in-place matrix scaling", "mat *= s"],
  ok=["mat(i,j) = s * mat(i,j)", "mat(r,c) *= s", "mat(i,j) = mat(i,j) * s"],
  bad=["mat(i,j) += s * mat(i,j)", "mat(i,j) = s", "out(i,j) = s * mat(i,j)", "mat(r,c) = s * mat(c,r)"])

K("dsp/msub", 6, ["a matrix subtraction", "C = A - B on variable-length arrays"],
  ok=["C(i,j) = A(i,j) - B(i,j)", "C(i, j) = A(i, j) - B(i, j)", "C(r,c) = A(r,c) - B(r,c)"],
  bad=["C(i,j) = B(i,j) - A(i,j)", "C(i,j) = A(i,j) + B(i,j)", "C(i,j) = A(i,j) - B(j,i)"],
  v=(V("C[i][j] = A[i][j] - B[i][j] for all i < n, j < m", sem="C(i,j) = A(i,j) - B(i,j)", ok=True),))

K("dsp/vadd", 7, ["a vector addition", "c = a + b"],
  ok=["c(i) = a(i) + b(i)", "c(i) = b(i) + a(i)", "c(j) = a(j) + b(j)", "c(i) := a(i) + b(i)"],
  bad=["c(i) += a(i) + b(i)", "c(i) = a(i) + b(j)", "c = a + b"])

K("dsp/vcopy", 7, ["a vector copy", "a copy from src to dst"],
  ok=["dst(i) = src(i)", "dst(k) = src(k)"],
  bad=["src(i) = dst(i)", "dst(i) += src(i)"],
  v=(V("memcpy(dst, src, n * sizeof(double))"),))

K("dsp/vfill", 6, ["a constant fill of a sample buffer", "a fill of every sample with value"],
  ok=["dst(i) = value", "dst(j) = value"],
  bad=["dst(i) = value(i)", "dst(i) = 0", "dst = value"],
  v=(V("This is just memset-like initialisation; there is no tensor algebra in it."),))

K("dsp/vmul", 7, ["an element-wise vector product", "a Hadamard product of two vectors"],
  ok=["c(i) = a(i) * b(i)", "c(i) = b(i) * a(i)", "c(k) = a(k)*b(k)"],
  bad=["c = a(i) * b(i)", "c(i) = a(i) + b(i)", "c(i) += a(i) * b(i)"])

K("dsp/vneg", 6, ["an element-wise negation", "out = -in"],
  ok=["out(i) = -in(i)", "out(j) = -in(j)"],
  bad=["out(i) = -input(i)", "in(i) = -in(i)", "out(i) = in(i)", "out(i) = 1 - in(i)"])

K("dsp/vrecip", 6, ["an element-wise reciprocal", "y = 1/x element-wise"],
  ok=["y(i) = 1 / x(i)", "y(i) = 1.0 / x(i)", "y(i) = 1.0f / x(i)"],
  bad=["y(i) = x(i) / 1", "y(i) = 1 / x(j)", "x(i) = 1 / x(i)"],
  v=(V("y(i) = pow(x(i), -1)"),))

K("dsp/vscale", 6, ["a vector scaling", "y = k * x"],
  ok=["y(i) = k * x(i)", "y(i) = x(i) * k", "y(j) = k*x(j)"],
  bad=["y(i) = k(i) * x(i)", "y(i) += k * x(i)", "y(i) = alpha * x(i)", "x(i) = k * x(i)"])

K("dsp/vsub", 6, ["a vector subtraction", "out = a - b"],
  ok=["out(i) = a(i) - b(i)", "out(j) = a(j) - b(j)", "out(i) = -b(i) + a(i)"],
  bad=["out(i) = b(i) - a(i)", "out(i) = a(i) + b(i)", "c(i) = a(i) - b(i)"],
  v=(V("out = a - b, the CMSIS-style vector subtraction"),))

# ================================================================ dspstone

K("dspstone/complex_mult", 4, ["n complex multiplications on split real and imaginary parts",
                               "an element-wise complex product"],
  ok=["cr(i) = ar(i) * br(i) - ai(i) * bi(i)\nci(i) = ar(i) * bi(i) + ai(i) * br(i)",
      "cr(k) = ar(k)*br(k) - ai(k)*bi(k); ci(k) = ar(k)*bi(k) + ai(k)*br(k)",
      "cr(i) = ar(i) * br(i) - ai(i) * bi(i)\nci(i) = ai(i) * br(i) + ar(i) * bi(i)"],
  bad=["cr(i) = ar(i) * br(i) - ai(i) * bi(i)",
       "cr(i) = ar(i) * br(i) + ai(i) * bi(i)\nci(i) = ar(i) * bi(i) - ai(i) * br(i)",
       "c(i) = a(i) * b(i)",
       "cr(i) = ar(i) * br(i) - ai(i) * bi(i); ci(i) = ar(i) * bi(i) - ai(i) * br(i)"],
  v=(V("The kernel multiplies complex vectors stored as separate real/imaginary arrays. TACO has no complex type, so you need two statements, one for the real part and one for the imaginary part."),))

K("dspstone/convolution", 2, ["one convolution output sample", "a convolution with the signal read backwards"],
  ok=["convolution = h(i) * x(n - 1 - i)", "y = h(i) * x(n-1-i)", "h(i) * x(n - i - 1) => sum()"],
  bad=["y = h(i) * x(i)", "y = h(i) * x(n - i)", "y(i) = h(k) * x(i - k)", "~y = x(i) * h(n - 1 - i)",
       "y += h(i) * x(n - 1 - i)"],
  v=(V("y(n) = h(k) * x(n - k)"),
     V("The pointers walk h forwards and x backwards: y = sum over i of h[i] * x[n-1-i]. TACO cannot index x with n-1-i, so this is not expressible directly."),),
  hard=True)

K("dspstone/dot_product", 6, ["a dot product with walking pointers", "the inner product of a and b"],
  ok=["sum = a(i) * b(i)", "dot_product = a(i) * b(i)", "a(i) * b(i)", "a(i)*b(i) => sum()",
      "result = sum(i, a(i) * b(i))", "sum := a(i) * b(i)"],
  bad=["c(i) = a(i) * b(i)", "sum = a(i) + b(i)", "sum(i) = a(i) * b(i)"])

K("dspstone/fir", 5, ["an FIR output sample", "the dot product of the taps and the samples"],
  ok=["y = h(i) * x(i)", "fir = h(i)*x(i)", "x(i) * h(i)", "h(i) * x(i) => sum()", "acc = sum(i, h(i) * x(i))"],
  bad=["y(i) = h(i) * x(i)", "y = h(i) * x(n - 1 - i)", "y = h(i) + x(i)"],
  v=(V("```c\nlong y = 0;\nfor (i = 0; i < n; i++)\n    y += h[i] * x[i];\nreturn y;\n```",
       sem="y = 0\ny += h(i) * x(i)", alt=True),))

K("dspstone/lms_update", 6, ["the LMS coefficient update", "h += mu_err * x"],
  ok=["h(i) += mu_err * x(i)", "h(i) = h(i) + mu_err * x(i)", "h(k) += mu_err*x(k)"],
  bad=["h(i) = mu_err * x(i)", "h(i) += mu * err * x(i)", "h(i) += mu_err(i) * x(i)", "h(i) -= mu_err * x(i)"])

K("dspstone/mat_vec", 6, ["a matrix-vector product", "y = A x with pointer walking"],
  ok=["y(i) = A(i,j) * x(j)", "y(i) = sum(j, A(i,j) * x(j))", "y(r) = A(r,c) * x(c)"],
  bad=["y(i) += A(i,j) * x(j)", "y(j) = A(i,j) * x(i)", "y(i) = A(j,i) * x(j)"],
  v=(V("```c\nfor (i = 0; i < rows; i++) {\n  s = 0;\n  for (j = 0; j < cols; j++) s += *p_a++ * *p_x++;\n  *p_y++ = s;\n}\n```\nIn TACO: y = A * x"),))

K("dspstone/matrix1", 4, ["a matrix product with B stored transposed", "C = A B^T"],
  ok=["C(i,k) = A(i,f) * B(k,f)", "C(i,j) = A(i,k) * B(j,k)", "C(i,k) = sum(f, A(i,f) * B(k,f))"],
  bad=["C(i,j) = A(i,k) * B(k,j)", "C(i,k) += A(i,f) * B(k,f)", "C(i,k) = A(i,f) * B(f,k)",
       "C(k,i) = A(i,f) * B(k,f)"])

K("dspstone/matrix2", 6, ["a matrix-matrix product", "C = A B walking B down its columns"],
  ok=["C(i,k) = A(i,f) * B(f,k)", "C(i,j) = A(i,k) * B(k,j)", "C(i,k) = sum(f, A(i,f) * B(f,k))"],
  bad=["C(i,k) = A(i,f) * B(k,f)", "C(i,k) += A(i,f) * B(f,k)", "C(k,i) = A(i,f) * B(f,k)"])

K("dspstone/n_real_updates", 6, ["n real updates D = C + A*B", "a multiply-accumulate over four vectors"],
  ok=["D(i) = C(i) + A(i) * B(i)", "D(i) = A(i) * B(i) + C(i)", "D(k) = C(k) + A(k)*B(k)"],
  bad=["D(i) += C(i) + A(i) * B(i)", "D(i) = C(i) * A(i) + B(i)", "C(i) += A(i) * B(i)"],
  v=(V("```c\nfor (i = 0; i < n; i++)\n    D[i] = C[i] + A[i] * B[i];\n```\n\nThe register pointers just walk the four arrays in step.",
       sem="D(i) = C(i) + A(i) * B(i)", alt=True),))

K("dspstone/vec_mult", 7, ["an element-wise vector product", "c = a .* b"],
  ok=["c(i) = a(i) * b(i)", "c(f) = a(f) * b(f)", "c(i) = b(i) * a(i)"],
  bad=["c = a(i) * b(i)", "c(i) += a(i) * b(i)", "c(i) = a(i) * b(j)"])

# ================================================================ llama

K("llama/accum", 6, ["a residual accumulation", "a += b"],
  ok=["a(i) += b(i)", "a(i) = a(i) + b(i)", "a(i) = b(i) + a(i)", "a(j) += b(j)"],
  bad=["a(i) = b(i)", "x(i) += xb(i)", "a(i) += b(i) + a(i)", "c(i) = a(i) + b(i)"],
  v=(V("It's the residual connection of the transformer block, x = x + xb. No reduction involved."),))

K("llama/attention_mix", 4, ["the attention-weighted sum of the value vectors", "a mix of the value vectors weighted by attention"],
  ok=["xb(i) = att(t) * v(t,i)", "xb(i) = v(t,i) * att(t)", "xb(j) = att(i) * v(i,j)", "xb(i) = sum(t, att(t) * v(t,i))"],
  bad=["xb(i) += att(t) * v(t,i)", "xb(i) = att(t) * v(i,t)", "xb(h,i) = att(h,t) * v(t,i)",
       "out(i) = att(t) * value(t,i)", "xb(i) = att(i) * v(t,i)"],
  v=(V("xb(i) = att(t) * v(t * kv_dim + i)"),))

K("llama/attention_scores", 4, ["the attention scores of one head", "scaled dot products of the query with every key"],
  ok=["att(t) = q(i) * k(t,i) * scale", "att(t) = scale * q(i) * k(t,i)", "att(t) = sum(i, q(i) * k(t,i)) * scale",
      "att(p) = q(j) * k(p,j) * scale"],
  bad=["att(t) = q(i) * k(t,i) / sqrt(head_size)", "att(t) = q(i) * k(t,i)", "att(t) = q(i) * k(i,t) * scale",
       "att(t) += q(i) * k(t,i) * scale", "att(t) = q(t) * k(t,i) * scale"])

K("llama/matmul", 6, ["a matrix-vector product", "xout = W x"],
  ok=["xout(i) = w(i,j) * x(j)", "xout(i) = sum(j, w(i,j) * x(j))", "xout(i) = x(j) * w(i,j)", "xout(r) = w(r,c) * x(c)"],
  bad=["xout(i) = w(j,i) * x(j)", "xout(i) += w(i,j) * x(j)", "out(i) = W(i,j) * x(j)", "xout(i) = w(i,j) * x(i)"],
  v=(V("```c\n#pragma omp parallel for\nfor (i = 0; i < d; i++) xout[i] = dot(w + i*n, x, n);\n```"),))

K("llama/rmsnorm", 2, ["RMS normalisation followed by a learned scale", "rmsnorm"],
  ok=["o(j) = weight(j) * (1 / sqrt(x(k) * x(k) / size + 0.00001) * x(j))",
      "o(i) = weight(i) * (1 / sqrt(x(j)*x(j) / size + 1e-5) * x(i))"],
  bad=["~o(i) = weight(i) * x(i) / sqrt(x(j) * x(j) / size + 1e-5)",
       "~ss = x(j) * x(j)\no(j) = weight(j) * x(j) / sqrt(ss / size + 1e-5)",
       "o(j) = weight(j) * x(j) / sqrt(x(j) * x(j) / size + 1e-5)", "o(j) = weight(j) * (ss * x(j))",
       "o(i) = weight(i) * x(i) / sqrt(x(k) * x(k) + 1e-5)", "o(i) = x(i) / sqrt(x(j) * x(j) / size + 1e-5)"],
  v=(V("Two steps:\n1. ss = x(j) * x(j)\n2. o(j) = weight(j) * (1 / sqrt(ss / size + 1e-5) * x(j))",
       sem="ss = x(j) * x(j)\no(j) = weight(j) * (1 / sqrt(ss / size + 1e-5) * x(j))", alt=True),
     V("o(i) = weight(i) * x(i) * rsqrt(mean(x(j)^2) + eps)")),
  hard=True)

K("llama/rmsnorm_scale", 6, ["the scaling step of rmsnorm", "the normalise-and-scale step of rmsnorm"],
  ok=["o(j) = weight(j) * (ss * x(j))", "o(j) = weight(j) * ss * x(j)", "o(i) = ss * weight(i) * x(i)",
      "o(i) = weight(i) * (ss * x(i))"],
  bad=["o(j) = weight(j) * x(j) / ss", "o(j) = weight(j) * ss(j) * x(j)", "o(j) = weight(j) * x(j)",
       "x(j) = weight(j) * (ss * x(j))"])

K("llama/rmsnorm_ss", 6, ["the sum of squares of x", "the first step of rmsnorm"],
  ok=["ss = x(j) * x(j)", "x(i) * x(i)", "rmsnorm_ss = x(j)*x(j)", "ss = sum(j, x(j) * x(j))", "x(j) * x(j) => sum()"],
  bad=["ss(j) = x(j) * x(j)", "ss = x(j) * x(k)", "ss = x(j) * x(j) / size"])

K("llama/softmax", 1, ["an in-place softmax", "a numerically stable softmax"],
  ok=["x(i) = exp(x(i) - max(x(j)))\nx(i) = x(i) / x(k)",
      "x(i) = exp(x(i) - max(x(j))); x(i) = x(i) / sum(k, x(k))"],
  bad=["max_val = max(x(i))\nx(i) = exp(x(i) - max_val)\nsum = x(i)\nx(i) = x(i) / sum",
       "x(i) = exp(x(i) - max_val) / sum", "x(i) = exp(x(i) - max(x(j)))",
       "x(i) = exp(x(i) - max(x(i))) / sum(exp(x(j)))", "y(i) = exp(x(i)) / exp(x(j))"],
  v=(V("Softmax needs a max reduction and a sum reduction before the division:\n\n```\nm = max(x(i))\ns = exp(x(i) - m)\nx(i) = exp(x(i) - m) / s\n```\n\nTACO has no max reduction, so the first line is an extension.",
       sem="m = max(x(i))\ns = exp(x(i) - m)\nx(i) = exp(x(i) - m) / s"),
     V("x(i) = exp(x(i)) / exp(x(j))", sem="x(i) = exp(x(i)) / exp(x(j))")),
  hard=True)

K("llama/softmax_exp_sum", 4, ["the exponentiation step of softmax, returning the sum", "an in-place exp followed by a sum reduction"],
  ok=["x(i) = exp(x(i) - max_val)\nsum = x(i)", "x(i) = exp(x(i) - max_val); softmax_exp_sum = x(i)",
      "x(i) = exp(x(i) - max_val)\ns = x(j)"],
  bad=["sum = exp(x(i) - max_val)", "x(i) = exp(x(i) - max_val)", "x(i) = exp(x(i) - max_val)\nsum += x(i)",
       "x(i) = exp(x(i) - max(x(j)))\nsum = x(i)", "x(i) = exp(x(i)) - max_val\nsum = x(i)"])

K("llama/softmax_max", 4, ["a max reduction", "the maximum of x"],
  ok=["max_val = max(x(i))", "softmax_max = max(x(i))", "max(x(i))", "m = max(x(j))"],
  bad=["max_val = max(max_val, x(i))", "max_val = x(i)", "max_val(i) = max(x(i))", "max_val = max(x(0), x(i))"],
  v=(V("x(i) => max()"), V("TACO index notation only has sum reductions, so a max reduction cannot be written in it.")))

K("llama/softmax_normalize", 6, ["the normalisation step of softmax", "an in-place division of x by the sum"],
  ok=["x(i) = x(i) / sum", "x(i) /= sum", "x(j) = x(j) / sum"],
  bad=["x(i) = x(i) / x(j)", "x(i) = x(i) * sum", "y(i) = x(i) / sum", "x(i) = sum / x(i)"],
  v=(V("x /= sum, which normalises the probabilities"),))

K("llama/swiglu", 4, ["the SwiGLU activation", "a SiLU-gated product of hb and hb2"],
  ok=["hb(i) = hb(i) * (1 / (1 + exp(-hb(i)))) * hb2(i)", "hb(i) = hb(i) * (1.0 / (1.0 + exp(-hb(i)))) * hb2(i)",
      "hb(i) = hb2(i) * hb(i) * (1 / (1 + exp(-hb(i))))"],
  bad=["hb(i) = silu(hb(i)) * hb2(i)", "hb(i) = hb(i) * sigmoid(hb(i)) * hb2(i)",
       "hb(i) = hb(i) * (1 / (1 + exp(hb(i)))) * hb2(i)", "hb(i) = hb(i) * (1 / (1 + exp(-hb(i))))",
       "~hb(i) = hb(i) / (1 + exp(-hb(i))) * hb2(i)"])

# ================================================================ mathfu

K("mathfu/add_inplace", 7, ["an in-place vector addition", "a += b"],
  ok=["a(i) += b(i)", "a(i) = a(i) + b(i)", "a(j) += b(j)"],
  bad=["a(i) = b(i)", "a(i) = a(i) + b(j)", "c(i) = a(i) + b(i)"])

K("mathfu/distance_squared", 5, ["the squared distance between two vectors", "the squared Euclidean distance"],
  ok=["result = (a(i) - b(i)) * (a(i) - b(i))", "(a(i) - b(i)) * (a(i) - b(i))",
      "distance_squared = (a(i)-b(i))*(a(i)-b(i))", "r = sum(i, (a(i) - b(i)) * (a(i) - b(i)))"],
  bad=["r = (a(i) - b(i)) * (a(j) - b(j))", "r(i) = (a(i) - b(i)) * (a(i) - b(i))",
       "r = a(i) * a(i) - b(i) * b(i)", "r = a(i) - b(i)"],
  v=(V("r = square(a(i) - b(i))"),))

K("mathfu/dot", 6, ["a dot product", "the inner product of a and b"],
  ok=["result = a(i) * b(i)", "dot = a(i) * b(i)", "a(i) * b(i)", "a(i) * b(i) => sum()", "dot = sum(i, a(i)*b(i))"],
  bad=["result(i) = a(i) * b(i)", "result = a(i) * b(j)", "c(i) = a(i) * b(i)"])

K("mathfu/hadamard", 6, ["the Hadamard product", "an element-wise product"],
  ok=["out(i) = a(i) * b(i)", "out(i) = b(i) * a(i)", "out(j) = a(j)*b(j)"],
  bad=["out(i) = mul_elem(a(i), b(i))", "out = a(i) * b(i)", "out(i) += a(i) * b(i)"],
  v=(V("out(i) = a(i) * b(i), i.e. the element-wise product. The helper mul_elem is inlined.", ok=True,
       sem="out(i) = a(i) * b(i)"),))

K("mathfu/length_squared", 6, ["the squared length of a vector", "the sum of squares of v"],
  ok=["result = v(i) * v(i)", "v(i) * v(i)", "length_squared = v(i)*v(i)", "v(i) * v(i) => sum()",
      "result = sum(i, v(i) * v(i))", "result := v(i) * v(i)"],
  bad=["result(i) = v(i) * v(i)", "result = v(i) * v(j)", "result = v(i)"])

K("mathfu/lerp", 3, ["a linear interpolation between two vectors", "lerp"],
  ok=["out(i) = alpha * x(i) + (1 - alpha) * y(i)", "out(i) = (1 - alpha) * y(i) + alpha * x(i)",
      "out(i) = alpha * x(i) + (1.0 - alpha) * y(i)"],
  bad=["out(i) = (1 - alpha) * x(i) + alpha * y(i)", "out(i) = x(i) + alpha * (y(i) - x(i))",
       "out(i) = alpha * x(i) + one_minus * y(i)", "~out(i) = y(i) + alpha * (x(i) - y(i))",
       "out(i) = alpha * x(i) + 1 - alpha * y(i)"],
  v=(V("Standard lerp: out = x + alpha * (y - x)"),),
  hard=True)

K("mathfu/mat4_mul_vec", 2, ["a 4x4 matrix times a vector", "a column-major mat4 times vec4"],
  ok=["out(i) = m(j,i) * v(j)", "out(i) = v(j) * m(j,i)", "out(i) = sum(j, m(j,i) * v(j))"],
  bad=["out(i) = m(i,j) * v(j)", "out(r) = m(r,c) * v(c)", "out(i) += m(j,i) * v(j)", "out(i) = M(i,j) * v(j)",
       "out(i) = m(j,i) * v(i)"],
  v=(V("The matrix is column-major (element (i, j) at m[j*4 + i]), so mathematically out = M * v:\n\n```\nout(i) = m(i,j) * v(j)\n```",
       sem="out(i) = m(i,j) * v(j)"),
     V("out(i) = m(j * 4 + i) * v(j)")),
  hard=True)

K("mathfu/scale_inplace", 6, ["an in-place vector scaling", "a *= s"],
  ok=["a(i) = a(i) * s", "a(i) *= s", "a(i) = s * a(i)"],
  bad=["a(i) += a(i) * s", "a(i) = s", "b(i) = a(i) * s", "a(i) = a(i) * s(i)"])

# ================================================================ polybench

K("polybench/2mm", 2, ["two chained matrix products, D := alpha*A*B*C + beta*D", "PolyBench 2mm"],
  ok=["tmp(i,j) = alpha * A(i,k) * B(k,j)\nD(i,j) = beta * D(i,j) + tmp(i,k) * C(k,j)",
      "tmp(i,j) = alpha * sum(k, A(i,k) * B(k,j)); D(i,j) = D(i,j) * beta + tmp(i,k) * C(k,j)"],
  bad=["D(i,j) = alpha * A(i,k) * B(k,l) * C(l,j) + beta * D(i,j)",
       "tmp(i,j) = alpha * A(i,k) * B(k,j)\nD(i,j) += tmp(i,k) * C(k,j)",
       "tmp(i,j) = alpha * A(i,k) * B(k,j)",
       "tmp(i,j) = A(i,k) * B(k,j)\nD(i,j) = beta * D(i,j) + alpha * tmp(i,k) * C(k,j)",
       "~tmp(i,j) = alpha * A(i,k) * B(k,j)\nD(i,j) *= beta\nD(i,j) += tmp(i,k) * C(k,j)",
       "tmp(i,j) = alpha * A(i,k) * B(k,j)\nD(i,j) = beta * D(i,j) + tmp(i,j) * C(j,k)"],
  v=(V("The kernel has two phases:\n1. tmp = alpha * A * B\n2. D = tmp * C + beta * D"),),
  hard=True)

K("polybench/3mm", 1, ["three matrix products, G = (A*B)*(C*D)", "PolyBench 3mm"],
  ok=["E(i,j) = A(i,k) * B(k,j)\nF(i,j) = C(i,k) * D(k,j)\nG(i,j) = E(i,k) * F(k,j)",
      "E(i,j) = A(i,k) * B(k,j); F(j,l) = C(j,m) * D(m,l); G(i,l) = E(i,j) * F(j,l)"],
  bad=["G(i,j) = A(i,k) * B(k,l) * C(l,m) * D(m,j)",
       "E(i,j) = A(i,k) * B(k,j)\nF(i,j) = C(i,k) * D(k,j)",
       "E(i,j) = A(i,k) * B(k,j)\nF(i,j) = C(i,k) * D(k,j)\nG(i,j) = E(i,k) * F(j,k)",
       "E(i,j) += A(i,k) * B(k,j)\nF(i,j) += C(i,k) * D(k,j)\nG(i,j) += E(i,k) * F(k,j)",
       "G(i,j) = E(i,k) * F(k,j)"],
  v=(V("1. E := A*B\n2. F := C*D\n3. G := E*F\n\nEach step is a plain matrix multiplication, C(i,j) = A(i,k) * B(k,j) in TACO.",
       sem="C(i,j) = A(i,k) * B(k,j)"),
     V("```taco\nE(i,j) = A(i,k) * B(k,j)\nF(i,j) = C(i,k) * D(k,j)\nG(i,j) = E(i,k) * F(k,j)\n```\n\nThe three statements run in order, the last one reads the two intermediate products.",
       ok=True, sem="E(i,j) = A(i,k) * B(k,j)\nF(i,j) = C(i,k) * D(k,j)\nG(i,j) = E(i,k) * F(k,j)")),
  hard=True)

K("polybench/atax", 3, ["y = A^T (A x)", "PolyBench atax"],
  ok=["tmp(i) = A(i,j) * x(j)\ny(j) = A(i,j) * tmp(i)", "tmp(i) = A(i,j) * x(j); y(j) = A(i,j) * tmp(i)",
      "tmp(i) = A(i,k) * x(k)\ny(i) = A(j,i) * tmp(j)"],
  bad=["y(j) = A(i,j) * A(i,k) * x(k)", "tmp(i) = A(i,j) * x(j)\ny(j) += A(i,j) * tmp(i)",
       "tmp(i) = A(i,j) * x(j)", "tmp(i) = A(i,j) * x(j)\ny(i) = A(i,j) * tmp(j)",
       "tmp(i) = A(i,j) * x(j)\ny(j) = A(j,i) * tmp(i)"],
  v=(V("y = A^T * (A * x), which needs the intermediate tmp = A * x."),),
  hard=True)

K("polybench/bicg", 4, ["the BiCG sub-kernel, s = A^T r and q = A p", "two matrix-vector products in one sweep"],
  ok=["s(j) = r(i) * A(i,j)\nq(i) = A(i,j) * p(j)", "s(j) = A(i,j) * r(i); q(i) = A(i,j) * p(j)",
      "q(i) = A(i,j) * p(j)\ns(j) = r(i) * A(i,j)"],
  bad=["s(j) = A(i,j) * r(i)", "s(i) = A(i,j) * r(j)\nq(i) = A(i,j) * p(j)",
       "s(j) += r(i) * A(i,j)\nq(i) += A(i,j) * p(j)", "s(j) = r(i) * A(i,j)\nq(i) = A(i,j) * p(i)"],
  v=(V("s = A^T r, q = A p"),))

K("polybench/doitgen", 2, ["the doitgen multiresolution kernel", "a tensor-times-matrix product written back into A"],
  ok=["sum(r,q,p) = A(r,q,s) * C4(s,p)\nA(r,q,p) = sum(r,q,p)",
      "sum(r,q,p) = A(r,q,s) * C4(s,p); A(r,q,p) = sum(r,q,p)",
      "sum(i,j,k) = A(i,j,l) * C4(l,k)\nA(i,j,k) = sum(i,j,k)"],
  bad=["A(r,q,p) = A(r,q,s) * C4(s,p)", "sum(r,q,p) = A(r,q,s) * C4(s,p)",
       "sum(r,q,p) = A(r,q,s) * C4(p,s)\nA(r,q,p) = sum(r,q,p)",
       "sum(r,q,p) += A(r,q,s) * C4(s,p)\nA(r,q,p) = sum(r,q,p)", "A(r,q,p) = sum(s, A(r,q,s) * C4(s,p))"],
  v=(V("The temporary sum only holds one row at a time in spirit; in TACO the whole thing is A(r,q,p) = A(r,q,s) * C4(s,p)",
       sem="A(r,q,p) = A(r,q,s) * C4(s,p)"),),
  hard=True)

K("polybench/doitgen_out", 5, ["a tensor-times-matrix product", "a contraction of the last mode of A with C4"],
  ok=["out(r,q,p) = A(r,q,s) * C4(s,p)", "out(i,j,k) = A(i,j,l) * C4(l,k)", "out(r,q,p) := A(r,q,s) * C4(s,p)", "out(r,q,p) = sum(s, A(r,q,s) * C4(s,p))",
      "out(r,q,p) = C4(s,p) * A(r,q,s)"],
  bad=["out(r,q,p) = A(r,q,s) * C4(p,s)", "out(r,q,p) += A(r,q,s) * C4(s,p)", "sum(r,q,p) = A(r,q,s) * C4(s,p)",
       "A(r,q,p) = A(r,q,s) * C4(s,p)"])

K("polybench/gemm", 4, ["C := alpha*A*B + beta*C", "the PolyBench gemm"],
  ok=["C(i,j) = beta * C(i,j) + alpha * A(i,k) * B(k,j)", "C(i,j) = alpha * A(i,k) * B(k,j) + beta * C(i,j)",
      "C(i,j) = beta*C(i,j) + alpha*sum(k, A(i,k)*B(k,j))"],
  bad=["C(i,j) += alpha * A(i,k) * B(k,j)", "~C(i,j) = C(i,j) * beta\nC(i,j) += alpha * A(i,k) * B(k,j)",
       "C(i,j) = alpha * A(i,k) * B(k,j)", "C(i,j) = beta * C(i,j) + alpha * A(i,k) * B(j,k)",
       "C(i,j) = beta * C(i,j) + A(i,k) * B(k,j)"],
  v=(V("```\nC(i,j) *= beta\nC(i,j) += alpha * A(i,k) * B(k,j)\n```",
       sem="C(i,j) *= beta\nC(i,j) += alpha * A(i,k) * B(k,j)", alt=True),))

K("polybench/gesummv", 1, ["y = alpha*A*x + beta*B*x", "PolyBench gesummv, two matrix-vector products combined"],
  ok=["tmp(i) = A(i,j) * x(j)\ny(i) = alpha * tmp(i) + beta * B(i,j) * x(j)",
      "tmp(i) = A(i,j) * x(j); y(i) = alpha * tmp(i) + beta * sum(j, B(i,j) * x(j))"],
  bad=["y(i) = alpha * A(i,j) * x(j) + beta * B(i,j) * x(j)",
       "~tmp(i) = A(i,j) * x(j)\ny(i) = B(i,j) * x(j)\ny(i) = alpha * tmp(i) + beta * y(i)",
       "tmp(i) = A(i,j) * x(j)\ny(i) = alpha * tmp(i) + beta * y(i)",
       "y(i) = (alpha * A(i,j) + beta * B(i,j)) * x(j)",
       "tmp(i) = A(i,j) * x(j)\ny(i) = alpha * tmp(i) + beta * B(j,i) * x(j)"],
  v=(V("```\ntmp(i) = A(i,j) * x(j)\ny(i) = B(i,j) * x(j)\ny(i) = alpha * tmp(i) + beta * y(i)\n```\n\nThis mirrors the loop: both accumulators are filled, then combined.",
       sem="tmp(i) = A(i,j) * x(j)\ny(i) = B(i,j) * x(j)\ny(i) = alpha * tmp(i) + beta * y(i)", alt=True),),
  hard=True)

K("polybench/mvt", 4, ["two matrix-vector products, with A and with A transposed", "PolyBench mvt"],
  ok=["x1(i) += A(i,j) * y_1(j)\nx2(i) += A(j,i) * y_2(j)",
      "x1(i) = x1(i) + A(i,j) * y_1(j); x2(i) = x2(i) + A(j,i) * y_2(j)",
      "x1(i) += A(i,j) * y_1(j)\nx2(j) += A(i,j) * y_2(i)"],
  bad=["x1(i) = A(i,j) * y_1(j)\nx2(i) = A(j,i) * y_2(j)", "x1(i) += A(i,j) * y_1(j)",
       "x1(i) += A(i,j) * y_1(j)\nx2(i) += A(i,j) * y_2(j)", "x1(i) += A(j,i) * y_1(j)\nx2(i) += A(i,j) * y_2(j)"])

# ================================================================ simple

K("simple/add2d", 7, ["a matrix addition on row-pointer arrays", "C = A + B"],
  ok=["C(i,j) = A(i,j) + B(i,j)", "C(i, j) = A(i, j) + B(i, j)", "C(r,c) = A(r,c) + B(r,c)"],
  bad=["C(i,j) += A(i,j) + B(i,j)", "C(i,j) = A(i,k) + B(k,j)", "C(i,j) = A(i,j) * B(i,j)"],
  v=(V("Element-wise matrix addition, C = A + B."),))

K("simple/alpha_nm", 4, ["a matrix scaled by the product of its sizes", "b = n*m*a"],
  ok=["b(i,j) = n * m * a(i,j)", "b(i,j) = m * n * a(i,j)", "b(i,j) = a(i,j) * n * m"],
  bad=["b(i,j) = alpha * a(i,j)", "b(i,j) = n * m + a(i,j)", "b(i,j) = a(i,j)", "b(i,j) = alpha(i,j) * a(i,j)"],
  v=(V("alpha = n * m is a scalar, so: b(i,j) = alpha * a(i,j)"),))

K("simple/array_scale", 6, ["an array scaling", "b = k * a"],
  ok=["b(i) = k * a(i)", "b(i) = a(i) * k", "b(j) = k*a(j)"],
  bad=["b(i) = k(i) * a(i)", "a(i) = k * a(i)", "b(i) += k * a(i)", "b(i) = k + a(i)"],
  v=(V("b[i] = k * a[i] for every i in [0, n)", sem="b(i) = k * a(i)", alt=True),))

K("simple/array_sum", 6, ["the sum of an array", "a sum reduction"],
  ok=["sum = a(i)", "a(i) => sum()", "sum = sum(i, a(i))", "total = a(i)", "array_sum = a(i)"],
  bad=["sum(i) = a(i)", "sum += a(i)", "sum = a(i) + sum"],
  v=(V("return sum(a[0..n])"),))

K("simple/clamp", 5, ["a clamp to a range", "an element-wise clamp between lo and hi"],
  ok=["out(i) = min(max(x(i), lo), hi)", "out(i) = min(hi, max(lo, x(i)))", "out(i) = fminf(fmaxf(x(i), lo), hi)"],
  bad=["out(i) = max(min(x(i), hi), lo)", "out(i) = max(min(x(i), lo), hi)", "out(i) = min(max(x(i), hi), lo)",
       "out(i) = max(x(i), lo)"],
  v=(V("out(i) = clamp(x(i), lo, hi)"),))

K("simple/init_then_add", 5, ["a vector addition", "c = a + b, with c cleared first"],
  ok=["c(i) = a(i) + b(i)", "c(i) = b(i) + a(i)", "c(j) = a(j) + b(j)"],
  bad=["~c(i) = 0\nc(i) += a(i)\nc(i) += b(i)", "c(i) += a(i) + b(i)", "~c(i) = a(i)\nc(i) += b(i)",
       "c(i) = a(i) * b(i)"])

K("simple/local_scalar", 4, ["y += 2*alpha*x", "an AXPY with a doubled scale factor"],
  ok=["y(i) = 2 * alpha * x(i) + y(i)", "y(i) += 2 * alpha * x(i)", "y(i) = y(i) + 2.0 * alpha * x(i)"],
  bad=["y(i) = two_alpha * x(i) + y(i)", "y(i) += alpha * x(i)", "y(i) = 2 * alpha * x(i)",
       "y(i) = 2 * alpha * x(i) + 2 * y(i)"])

K("simple/matmul2d", 5, ["a matrix multiplication", "C = A B on row-pointer arrays"],
  ok=["C(i,j) = A(i,k) * B(k,j)", "C(i,j) = sum(k, A(i,k) * B(k,j))", "C(i, j) = A(i, k) * B(k, j)",
      "C(i,j) := A(i,k) * B(k,j)"],
  bad=["C(i,j) += A(i,k) * B(k,j)", "~C(i,j) = 0\nC(i,j) += A(i,k) * B(k,j)", "C(i,j) = A(k,i) * B(k,j)",
       "C(i,j) = A(i,j) * B(i,j)"])

K("simple/max_element", 4, ["a max reduction over the array", "the largest element of the array"],
  ok=["m = max(a(i))", "max_element = max(a(i))", "max(a(i))", "result = max(a(i))"],
  bad=["m = max(m, a(i))", "m = a(i)", "m(i) = max(a(i))", "m = max(a(0), a(i))"],
  v=(V("a(i) => max()"),))

K("simple/relu", 5, ["a ReLU", "an element-wise max with zero"],
  ok=["y(i) = max(x(i), 0)", "y(i) = max(0, x(i))", "y(i) = fmax(x(i), 0)"],
  bad=["~y(i) = select(x(i) > 0, x(i), 0)", "y(i) = max(x(i))", "y(i) = min(x(i), 0)", "x(i) = max(x(i), 0)"],
  v=(V("y(i) = x(i) > 0 ? x(i) : 0"),))

K("simple/struct_add", 5, ["an in-place matrix addition", "to += from"],
  ok=["to(i,j) += from(i,j)", "to_vals(i,j) += from_vals(i,j)", "to.vals(i,j) += from.vals(i,j)",
      "to(i,j) = to(i,j) + from(i,j)"],
  bad=["to(i,j) = from(i,j)", "from(i,j) += to(i,j)", "to(i,j) += from(j,i)", "to(i,j) = to(i,j) + from(i,j) + to(i,j)"],
  v=(V("to->vals[i][j] += from->vals[i][j]"),))

K("simple/struct_matvec", 5, ["a matrix-vector product on a Matrix struct", "y = A x"],
  ok=["y(i) = a(i,j) * x(j)", "y(i) = a_vals(i,j) * x(j)", "y(i) = a.vals(i,j) * x(j)", "y(i) = sum(j, a(i,j) * x(j))"],
  bad=["y(i) += a(i,j) * x(j)", "y(i) = a(j,i) * x(j)", "y(i) = A(i,j) * x(j)", "y(i) = vals(i,j) * x(j)"])

K("simple/struct_scale", 5, ["an in-place scaling of a matrix struct", "m *= s"],
  ok=["m(i,j) = s * m(i,j)", "m.vals(i,j) = s * m.vals(i,j)", "m_vals(i,j) *= s", "m(i,j) = m(i,j) * s"],
  bad=["m(i,j) += s * m(i,j)", "m(i,j) = s", "out(i,j) = s * m(i,j)", "vals(i,j) = s * vals(i,j)"])

K("simple/sum_first", 5, ["the sum of an array", "a sum that starts from the first element"],
  ok=["s = arr(i)", "arr(i) => sum()", "sum_first = arr(i)", "total = sum(i, arr(i))"],
  bad=["!s = arr(0) + arr(i)", "s(i) = arr(i)", "s += arr(i)", "s = arr(i + 1)"])

K("simple/sum_of_squares", 6, ["the sum of squares", "a squared norm"],
  ok=["acc = a(i) * a(i)", "a(i) * a(i)", "sum_of_squares = a(i)*a(i)", "a(i) * a(i) => sum()"],
  bad=["acc(i) = a(i) * a(i)", "acc = a(i) * a(j)", "acc = a(i) + a(i)"])

K("simple/tied_square", 6, ["a matrix addition", "c = a + b"],
  ok=["c(i,j) = a(i,j) + b(i,j)", "c(i, j) = a(i, j) + b(i, j)", "c(j,i) = a(j,i) + b(j,i)"],
  bad=["c(i,j) = a(i,j) + b(j,i)", "c(i,j) += a(i,j) + b(i,j)", "c(i) = a(i) + b(i)"],
  v=(V("c[i*M + j] = a[i*M + j] + b[i*M + j]: note this only works for square matrices."),))

K("simple/tied_transpose", 5, ["a matrix transpose", "out = in^T"],
  ok=["out(i,j) = in(j,i)", "out(j,i) = in(i,j)", "out(r,c) = in(c,r)"],
  bad=["out(i,j) = in(i,j)", "out(i,j) = input(j,i)", "in(j,i) = out(i,j)"],
  v=(V("out(i,j) = in(j * n + i)"), V("out(i,j) = transpose(in)(i,j)")))

# ================================================================ taco

K("taco/dot", 5, ["a dot product into an order-0 tensor", "the inner product a = b . c"],
  ok=["a = b(i) * c(i)", "a() = b(i) * c(i)", "a = sum(i, b(i) * c(i))", "a_vals = b_vals(i) * c_vals(i)",
      "a = c(i) * b(i)"],
  bad=["a(i) = b(i) * c(i)", "a = b(i) * c(j)", "tia_val = b(i) * c(i)", "a += b(i) * c(i)"],
  v=(V("This is TACO-generated code for a = b(i) * c(i). The scalar result is stored in a->vals[0].",
       ok=True, sem="a = b(i) * c(i)"),))

K("taco/gemm", 6, ["a matrix-matrix product", "a dense matrix multiply"],
  ok=["C(i,j) = A(i,k) * B(k,j)", "C(i,j) = sum(k, A(i,k) * B(k,j))", "C(i, j) = A(i, k) * B(k, j)"],
  bad=["C(i,j) += A(i,k) * B(k,j)", "C(i,j) = A(i,k) * B(j,k)", "tkC = A(i,k) * B(k,j)"],
  v=(V("The comment already says it: C(i,j) = A(i,k) * B(k,j)", ok=True, sem="C(i,j) = A(i,k) * B(k,j)"),))

K("taco/gemv", 6, ["a matrix-vector product", "y = A x, as TACO generates it"],
  ok=["y(i) = A(i,j) * x(j)", "y(i) = A(i,j)*x(j)", "y(i) = sum(j, A(i,j) * x(j))"],
  bad=["y(i) += A(i,j) * x(j)", "y(i) = A(j,i) * x(j)", "tjy(i) = A(i,j) * x(j)", "y(j) = A(i,j) * x(i)"])

K("taco/mat_add", 7, ["a matrix addition", "a dense matrix sum"],
  ok=["A(i,j) = B(i,j) + C(i,j)", "A(i, j) = B(i, j) + C(i, j)"],
  bad=["A(i,j) += B(i,j) + C(i,j)", "A(i,j) = B(i,j) + C(j,i)", "C(i,j) = A(i,j) + B(i,j)"])

K("taco/mttkrp", 4, ["an MTTKRP", "the matricised tensor times Khatri-Rao product"],
  ok=["A(i,j) = B(i,k,l) * C(k,j) * D(l,j)", "A(i,j) = B(i,k,l) * D(l,j) * C(k,j)",
      "A(i,j) = sum(k, sum(l, B(i,k,l) * C(k,j) * D(l,j)))"],
  bad=["A(i,r) = X(i,j,k) * B(j,r) * C(k,r)", "A(i,j) += B(i,k,l) * C(k,j) * D(l,j)",
       "A(i,j) = B(i,k,l) * C(k,j) * D(l,k)", "A(i,j) = B(i,j,k) * C(k,j) * D(k,j)"])

K("taco/residual", 5, ["a residual b - A x", "the residual of a linear system"],
  ok=["y(i) = b(i) - A(i,j) * x(j)", "y(i) = b(i) - sum(j, A(i,j) * x(j))", "y(i) = -A(i,j) * x(j) + b(i)",
      "y(i) := b(i) - A(i,j) * x(j)"],
  bad=["y(i) = A(i,j) * x(j) - b(i)", "y(i) = b(i) - A(j,i) * x(j)", "y(i) = b(i) + A(i,j) * x(j)",
       "r(i) = b(i) - A(i,j) * x(j)"])

K("taco/scale", 6, ["a vector scaled by an order-0 tensor", "a = b * c with b a scalar"],
  ok=["a(i) = b * c(i)", "a(i) = c(i) * b", "a(i) = b() * c(i)", "a_vals(i) = b_vals * c_vals(i)"],
  bad=["a(i) = b(i) * c(i)", "a = b * c", "a(i) = b_val * c(i)"])

K("taco/ttv", 5, ["a tensor-times-vector product", "a contraction of the third mode of B with c"],
  ok=["A(i,j) = B(i,j,k) * c(k)", "A(i,j) = sum(k, B(i,j,k) * c(k))", "A(i,j) = c(k) * B(i,j,k)"],
  bad=["A(i,j) = B(i,j,k) * c(j)", "A(i,j) += B(i,j,k) * c(k)", "A(i,j) = B(k,i,j) * c(k)", "A(i,j,k) = B(i,j,k) * c(k)"],
  v=(V("A(i,j) = B(i,j,k) * c(k) — a tensor-times-vector product along the last mode", ok=True,
       sem="A(i,j) = B(i,j,k) * c(k)"),))

K("taco/vec_add", 7, ["a vector addition", "an element-wise vector sum"],
  ok=["a(i) = b(i) + c(i)", "a(i) = c(i) + b(i)"],
  bad=["a(i) += b(i) + c(i)", "a = b + c", "a(i) = b(i) * c(i)"],
  v=(V("The code was generated by TACO from the expression a(i) = b(i) + c(i).", ok=True, sem="a(i) = b(i) + c(i)"),))

K("taco/vec_mul", 7, ["an element-wise vector product", "a Hadamard product"],
  ok=["a(i) = b(i) * c(i)", "a(i) = b(i)*c(i)"],
  bad=["a = b(i) * c(i)", "a(i) += b(i) * c(i)", "a(i) = b(i) + c(i)"])

# ================================================================ utdsp

K("utdsp/dct", 2, ["an 8x8 2-D DCT as two matrix products", "a 2-D DCT of one block"],
  ok=["temp2d(i,j) = block(i,k) * cos2(k,j)\nblock(i,j) = cos1(i,k) * temp2d(k,j)",
      "temp2d(i,j) = sum(k, block(i,k) * cos2(k,j)); block(i,j) = sum(k, cos1(i,k) * temp2d(k,j))"],
  bad=["block(i,j) = sum(k, cos1(i,k) * temp2d(k,j))", "temp2d(i,j) = block(i,k) * cos2(k,j)",
       "block(i,j) = cos1(i,k) * block(k,l) * cos2(l,j)",
       "temp2d(i,j) = cos1(i,k) * block(k,j)\nblock(i,j) = temp2d(i,k) * cos2(k,j)",
       "temp2d(i,j) = block(i,k) * cos2(j,k)\nblock(i,j) = cos1(i,k) * temp2d(k,j)",
       "temp2d(i,j) += block(i,k) * cos2(k,j)\nblock(i,j) += cos1(i,k) * temp2d(k,j)"],
  v=(V("block = cos1 * block * cos2, written with the temporary:\n\n```taco\ntemp2d(i,j) = block(i,k) * cos2(k,j)\nblock(i,j) = cos1(i,k) * temp2d(k,j)\n```",
       ok=True, sem="temp2d(i,j) = block(i,k) * cos2(k,j)\nblock(i,j) = cos1(i,k) * temp2d(k,j)"),),
  hard=True)

K("utdsp/fir", 5, ["an FIR inner product over 32 taps", "a dot product of input and coefficients"],
  ok=["sum = input(i) * coefficient(i)", "input(i) * coefficient(i) => sum()", "fir = input(i)*coefficient(i)",
      "sum = coefficient(i) * input(i)", "input(i) * coefficient(i)"],
  bad=["sum(i) := input(i) * coefficient(i)", "output(i) = input(i) * coefficient(i)",
       "sum = input(i) * coefficient(j)", "sum = input(i) + coefficient(i)"])

K("utdsp/fir_window", 4, ["a block FIR filter with 16 taps", "a sliding-window dot product"],
  ok=["output(i) = coef(j) * input(i + j)", "output(i) = input(i+j) * coef(j)",
      "output(i) = sum(j, coef(j) * input(i + j))", "output(n0) = coef(k) * input(n0 + k)"],
  bad=["output(i) = coef(j) * input(i - j)", "output(i) = coef(j) * input(j)", "output(i) += coef(j) * input(i + j)",
       "output(i) = coef(i) * input(i)"],
  v=(V("output(i) = coef(j) * input(i,j)"),))

K("utdsp/hist_clear", 6, ["a histogram reset", "a zero fill of every bin"],
  ok=["hist(i) = 0", "hist(b) = 0", "hist(i) = 0.0"],
  bad=["hist = 0", "hist(i) += 0", "hist(i) = nbins"],
  v=(V("memset(hist, 0, nbins * sizeof(int));"),))

K("utdsp/mult", 6, ["a fixed-size matrix multiplication", "C = A B for 6x5 times 5x4 matrices"],
  ok=["C(i,j) = A(i,k) * B(k,j)", "C(i,j) = sum(k, A(i,k) * B(k,j))", "C(i,j) = B(k,j) * A(i,k)"],
  bad=["C(i,j) += A(i,k) * B(k,j)", "C(i,j) = A(i,k) * B(j,k)", "C(i,j) = A(k,i) * B(k,j)"],
  v=(V("C = A x B, a 6x5 matrix times a 5x4 matrix gives a 6x4 result."),))

K("utdsp/mult_vla", 5, ["a matrix multiplication", "C = A B with run-time sizes"],
  ok=["C(i,j) = A(i,k) * B(k,j)", "C(i,j) = sum(k, A(i,k) * B(k,j))", "C(i,j) = A(i,k)*B(k,j)"],
  bad=["C(i,j) += A(i,k) * B(k,j)", "~C(i,j) = 0\nC(i,j) += A(i,k) * B(k,j)", "C(i,j) = A(i,k) * B(j,k)",
       "C(i,j) = A(i,j) * B(i,j)"])
