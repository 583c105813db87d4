/* Screen blend on normalised float pixels: 1 - (1-a)(1-b) expanded. */
void screen_blend(const float *base, const float *active, float *out, int m, int n)
{
    for (int row = 0; row < m; row++)
        for (int col = 0; col < n; col++) {
            float b = base[row * n + col];
            float a = active[row * n + col];
            out[row * n + col] = b + a - b * a;
        }
}
