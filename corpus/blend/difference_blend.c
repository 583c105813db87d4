/* Difference blend: absolute difference of the two pixels. */
void difference_blend(const int *base, const int *active, int *out, int m, int n)
{
    for (int i = 0; i < m; i++)
        for (int j = 0; j < n; j++) {
            int b = base[i * n + j], a = active[i * n + j];
            out[i * n + j] = b > a ? b - a : a - b;
        }
}
