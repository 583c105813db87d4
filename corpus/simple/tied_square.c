/* Row length M but columns up to N: only consistent for square matrices (M == N). */
void tied_square(int M, int N, const int *a, const int *b, int *c)
{
    int i, j;
    for (i = 0; i < M; i++)
        for (j = 0; j < N; j++)
            c[i * M + j] = a[i * M + j] + b[i * M + j];
}
