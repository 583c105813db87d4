/* Same product with run-time sizes (C99 variably modified array parameters). */
void mult_vla(int n, int m, int p, double A[n][m], double B[m][p], double C[n][p])
{
    int i, j, k;

    for (i = 0; i < n; i++)
        for (j = 0; j < p; j++)
            C[i][j] = 0.0;
    for (i = 0; i < n; i++)
        for (k = 0; k < m; k++)
            for (j = 0; j < p; j++)
                C[i][j] += A[i][k] * B[k][j];
}
