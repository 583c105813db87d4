/* PolyBench 3mm in integers: G := (A*B)*(C*D), both intermediate products are parameters. */
typedef int data_t;

void kernel_3mm(int ni, int nj, int nk, int nl, int nm,
                data_t E[ni][nj], data_t A[ni][nk], data_t B[nk][nj],
                data_t F[nj][nl], data_t C[nj][nm], data_t D[nm][nl],
                data_t G[ni][nl])
{
  int i, j, k;

  /* E := A*B */
  for (i = 0; i < ni; i++)
    for (j = 0; j < nj; j++) {
      E[i][j] = 0;
      for (k = 0; k < nk; ++k)
        E[i][j] += A[i][k] * B[k][j];
    }
  /* F := C*D */
  for (i = 0; i < nj; i++)
    for (j = 0; j < nl; j++) {
      F[i][j] = 0;
      for (k = 0; k < nm; ++k)
        F[i][j] += C[i][k] * D[k][j];
    }
  /* G := E*F */
  for (i = 0; i < ni; i++)
    for (j = 0; j < nl; j++) {
      G[i][j] = 0;
      for (k = 0; k < nj; ++k)
        G[i][j] += E[i][k] * F[k][j];
    }
}
