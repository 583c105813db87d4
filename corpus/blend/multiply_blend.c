/* Multiply blend on normalised [0,1] float pixels. */
void multiply_blend(const float *base, const float *active, float *out, int m, int n)
{
    for (int row = 0; row < m; row++)
        for (int col = 0; col < n; col++)
            out[row * n + col] = base[row * n + col] * active[row * n + col];
}
