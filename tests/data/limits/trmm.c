/* PolyBench trmm: B := alpha * A^T * B with A unit lower triangular, in place. Row i adds
 * rows k > i of the old B, so each element needs a sum over k from i+1 to m-1. */
#define DATA_TYPE double

void kernel_trmm(int m, int n, DATA_TYPE alpha, DATA_TYPE A[m][m], DATA_TYPE B[m][n])
{
  int i, j, k;

  for (i = 0; i < m; i++)
    for (j = 0; j < n; j++) {
      for (k = i + 1; k < m; k++)
        B[i][j] += A[k][i] * B[k][j];
      B[i][j] = alpha * B[i][j];
    }
}
