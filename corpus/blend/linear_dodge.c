/* Linear dodge (add) saturating at 255. */
void linear_dodge(const int *base, const int *active, int *out, int m, int n)
{
    int row, col;
    for (row = 0; row < m; row++)
        for (col = 0; col < n; col++) {
            int s = base[row * n + col] + active[row * n + col];
            out[row * n + col] = s > 255 ? 255 : s;
        }
}
