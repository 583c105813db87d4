/* Darken: keep the darker of the two pixels. */
void darken_blend(const int *base, const int *active, int *out, int m, int n)
{
    int row, col;
    for (row = 0; row < m; row++) {
        for (col = 0; col < n; col++) {
            int b = base[row * n + col];
            int a = active[row * n + col];
            out[row * n + col] = b < a ? b : a;
        }
    }
}
