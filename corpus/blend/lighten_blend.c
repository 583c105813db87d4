/* Lighten: keep the lighter of the two pixels. */
void lighten_blend(const float *base, const float *active, float *out, int m, int n)
{
    for (int row = 0; row < m; row++)
        for (int col = 0; col < n; col++) {
            float b = base[col + row * n], a = active[col + row * n];
            if (b > a)
                out[col + row * n] = b;
            else
                out[col + row * n] = a;
        }
}
