/* PolyBench doitgen (multiresolution analysis kernel), with a full 3-D sum array
 * so that each output is a plain contraction; A is overwritten with the result. */
#define DATA_TYPE double

void kernel_doitgen(int nr, int nq, int np,
                    DATA_TYPE A[nr][nq][np], DATA_TYPE C4[np][np],
                    DATA_TYPE sum[nr][nq][np])
{
  int r, q, p, s;

  for (r = 0; r < nr; r++)
    for (q = 0; q < nq; q++) {
      for (p = 0; p < np; p++) {
        sum[r][q][p] = 0.0;
        for (s = 0; s < np; s++)
          sum[r][q][p] += A[r][q][s] * C4[s][p];
      }
      for (p = 0; p < np; p++)
        A[r][q][p] = sum[r][q][p];
    }
}
