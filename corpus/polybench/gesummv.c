/* PolyBench gesummv: y = alpha*A*x + beta*B*x. */
#define DATA_TYPE double

void kernel_gesummv(int n, DATA_TYPE alpha, DATA_TYPE beta,
                    DATA_TYPE A[n][n], DATA_TYPE B[n][n],
                    DATA_TYPE tmp[n], DATA_TYPE x[n], DATA_TYPE y[n])
{
  int i, j;

  for (i = 0; i < n; i++) {
    tmp[i] = 0.0;
    y[i] = 0.0;
    for (j = 0; j < n; j++) {
      tmp[i] = A[i][j] * x[j] + tmp[i];
      y[i] = B[i][j] * x[j] + y[i];
    }
    y[i] = alpha * tmp[i] + beta * y[i];
  }
}
