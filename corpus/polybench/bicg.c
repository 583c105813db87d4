/* PolyBench bicg (BiCG sub-kernel): s = A^T r and q = A p in one sweep. */
#define DATA_TYPE double

void kernel_bicg(int m, int n, DATA_TYPE A[n][m], DATA_TYPE s[m],
                 DATA_TYPE q[n], DATA_TYPE p[m], DATA_TYPE r[n])
{
  int i, j;

  for (i = 0; i < m; i++)
    s[i] = 0;
  for (i = 0; i < n; i++) {
    q[i] = 0.0;
    for (j = 0; j < m; j++) {
      s[j] = s[j] + r[i] * A[i][j];
      q[i] = q[i] + A[i][j] * p[j];
    }
  }
}
