/* doitgen in the style of PolyBench/C 4: a multiresolution analysis kernel whose scratch
 * row `sum` is filled and copied out again for every pair (r, q). */
#include <stdio.h>
#include <stdlib.h>

#ifndef NR
#define NR 10
#endif
#ifndef NQ
#define NQ 8
#endif
#ifndef NP
#define NP 12
#endif
#define DATA_TYPE double

static void init_array(int nr, int nq, int np, DATA_TYPE A[NR][NQ][NP], DATA_TYPE C4[NP][NP])
{
  int i, j, k;
  for (i = 0; i < nr; i++)
    for (j = 0; j < nq; j++)
      for (k = 0; k < np; k++)
        A[i][j][k] = (DATA_TYPE) ((i * j + k) % np) / np;
  for (i = 0; i < np; i++)
    for (j = 0; j < np; j++)
      C4[i][j] = (DATA_TYPE) (i * j % np) / np;
}

void kernel_doitgen(int nr, int nq, int np, DATA_TYPE A[NR][NQ][NP], DATA_TYPE C4[NP][NP], DATA_TYPE sum[NP])
{
  int r, q, p, s;
#pragma scop
  for (r = 0; r < nr; r++)
    for (q = 0; q < nq; q++) {
      for (p = 0; p < np; p++) {
        sum[p] = 0.0;
        for (s = 0; s < np; s++)
          sum[p] += A[r][q][s] * C4[s][p];
      }
      for (p = 0; p < np; p++)
        A[r][q][p] = sum[p];
    }
#pragma endscop
}

int main(int argc, char **argv)
{
  static DATA_TYPE A[NR][NQ][NP], C4[NP][NP], sum[NP];
  init_array(NR, NQ, NP, A, C4);
  kernel_doitgen(NR, NQ, NP, A, C4, sum);
  printf("%0.4f\n", A[NR - 1][NQ - 1][NP - 1]);
  return 0;
}
