/* PolyBench syr2k on linearised arrays: symmetric rank-2k update of the lower triangle,
 * C := alpha*A*B^T + alpha*B*A^T + beta*C (C is n x n, A and B are n x m). */
#define DATA_TYPE double

void kernel_syr2k(int n, int m, DATA_TYPE alpha, DATA_TYPE beta,
                  DATA_TYPE *C, const DATA_TYPE *A, const DATA_TYPE *B)
{
  int i, j, k;

  for (i = 0; i < n; i++) {
    for (j = 0; j <= i; j++)
      C[i * n + j] *= beta;
    for (k = 0; k < m; k++)
      for (j = 0; j <= i; j++)
      {
        C[i * n + j] += A[j * m + k] * alpha * B[i * m + k] + B[j * m + k] * alpha * A[i * m + k];
      }
  }
}
