/* Fortran-order matrix (m rows, n columns, column j starts at j*m) times x, added to y. */
void gemv_colmajor(int m, int n, const float *A, const float *x, float *y)
{
    int i, j;
    for (j = 0; j < n; j++) {
        const float xj = x[j];
        for (i = 0; i < m; i++)
            y[i] += A[i + j * m] * xj;
    }
}
