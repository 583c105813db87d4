/* y := alpha*A*x + beta*y, row-major A with leading dimension lda. */
void dgemv(int m, int n, double alpha, const double *A, int lda,
           const double *x, double beta, double *y)
{
    int i, j;
    for (i = 0; i < m; i++) {
        double t = 0.0;
        for (j = 0; j < n; j++)
            t += A[i * lda + j] * x[j];
        y[i] = alpha * t + beta * y[i];
    }
}
