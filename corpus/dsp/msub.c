/* Matrix difference with C99 variably modified parameters. */
void msub(int n, int m, int A[n][m], int B[n][m], int C[n][m])
{
    int i, j;
    for (i = 0; i < n; i++)
        for (j = 0; j < m; j++)
            C[i][j] = A[i][j] - B[i][j];
}
