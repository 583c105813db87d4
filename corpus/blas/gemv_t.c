/* Transposed matrix-vector product: y = a^T x, a stored row-major m x n. */
void gemv_t(int m, int n, const double *a, const double *x, double *y)
{
    int i, j;
    for (j = 0; j < n; j++)
        y[j] = 0.0;
    for (i = 0; i < m; i++)
        for (j = 0; j < n; j++)
            y[j] += a[i * n + j] * x[i];
}
