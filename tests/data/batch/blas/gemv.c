/* y = A x, A stored row-major with m rows and n columns */
void gemv(int m, int n, const double *A, const double *x, double *y) {
    for (int i = 0; i < m; i++) {
        double acc = 0.0;
        for (int j = 0; j < n; j++)
            acc += A[i * n + j] * x[j];
        y[i] = acc;
    }
}
