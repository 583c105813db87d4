/* PolyBench lu: in-place LU decomposition without pivoting (Doolittle); L (unit diagonal,
 * not stored) below the diagonal, U on and above it. */
#define DATA_TYPE double

void kernel_lu(int n, DATA_TYPE A[n][n])
{
  int i, j, k;

  for (i = 0; i < n; i++) {
    for (j = 0; j < i; j++) {
      for (k = 0; k < j; k++)
        A[i][j] -= A[i][k] * A[k][j];
      A[i][j] /= A[j][j];
    }
    for (j = i; j < n; j++) {
      for (k = 0; k < i; k++)
        A[i][j] -= A[i][k] * A[k][j];
    }
  }
}
