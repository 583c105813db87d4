/* PolyBench-style gemm: the array sizes through the suite's macros, C99 prototypes or fixed. */
#ifndef POLYBENCH_PADDING_FACTOR
# define POLYBENCH_PADDING_FACTOR 0
#endif
#ifdef POLYBENCH_USE_C99_PROTO
# define POLYBENCH_C99_SELECT(x,y) y
#else
# define POLYBENCH_C99_SELECT(x,y) x
#endif
#define POLYBENCH_2D(var, dim1, dim2, ddim1, ddim2) \
    var[POLYBENCH_C99_SELECT(dim1,ddim1) + POLYBENCH_PADDING_FACTOR][POLYBENCH_C99_SELECT(dim2,ddim2) + POLYBENCH_PADDING_FACTOR]
#define NI 20
#define NJ 25
#define NK 30
#ifdef POLYBENCH_USE_SCALAR_LB
# define _PB_NI ni
# define _PB_NJ nj
# define _PB_NK nk
#else
# define _PB_NI NI
# define _PB_NJ NJ
# define _PB_NK NK
#endif

void kernel_gemm(int ni, int nj, int nk, double alpha, double beta,
                 double POLYBENCH_2D(C, NI, NJ, ni, nj),
                 double POLYBENCH_2D(A, NI, NK, ni, nk),
                 double POLYBENCH_2D(B, NK, NJ, nk, nj))
{
  int i, j, k;
  for (i = 0; i < _PB_NI; i++) {
    for (j = 0; j < _PB_NJ; j++)
      C[i][j] *= beta;
    for (k = 0; k < _PB_NK; k++)
      for (j = 0; j < _PB_NJ; j++)
        C[i][j] += alpha * A[i][k] * B[k][j];
  }
}
