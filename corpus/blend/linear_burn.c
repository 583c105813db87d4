/* Linear burn on 0..255 pixels (no clamping). */
void linear_burn(const int *base, const int *active, int *out, int m, int n)
{
    int row, col;
    for (row = 0; row < m; row++)
        for (col = 0; col < n; col++)
            out[row * n + col] = (base[row * n + col] + active[row * n + col]) - 255;
}
