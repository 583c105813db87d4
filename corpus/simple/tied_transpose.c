/* Transpose written with the same row length n on both sides: only right when n == m. */
void tied_transpose(int n, int m, const float *in, float *out)
{
    for (int i = 0; i < n; i++)
        for (int j = 0; j < m; j++)
            out[i * n + j] = in[j * n + i];
}
