/* A scalar computed from the sizes before the loop and used in the arithmetic. */
void alpha_nm(int n, int m, const int *a, int *b)
{
    int alpha = n * m;
    int i, j;
    for (i = 0; i < n; i++)
        for (j = 0; j < m; j++)
            b[i * m + j] = alpha * a[i * m + j];
}
