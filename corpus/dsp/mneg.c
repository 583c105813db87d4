void mneg(const double *A, double *B, int m, int n)
{
    int i, j;
    for (i = 0; i < m; i++)
        for (j = 0; j < n; j++)
            B[i * n + j] = -A[i * n + j];
}
