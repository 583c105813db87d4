/* PolyBench syrk on linearised arrays: symmetric rank-k update of the lower triangle,
 * C := alpha*A*A^T + beta*C (C is n x n, A is n x m). */
void kernel_syrk(int n, int m, float alpha, float beta, float *C, const float *A)
{
  int i, j, k;

  for (i = 0; i < n; i++) {
    for (j = 0; j <= i; j++)
      C[i * n + j] *= beta;
    for (k = 0; k < m; k++) {
      for (j = 0; j <= i; j++)
        C[i * n + j] += alpha * A[i * m + k] * A[j * m + k];
    }
  }
}
