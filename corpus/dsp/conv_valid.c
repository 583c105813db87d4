/* "Valid" 1-D correlation: only the positions where the whole kernel fits in the signal. */
void conv_valid(int n, int m, const float *x, const float *w, float *y)
{
    int i, k;
    for (i = 0; i < n - m + 1; i++) {
        float acc = 0.0f;
        for (k = 0; k < m; k++)
            acc += x[i + k] * w[k];
        y[i] = acc;
    }
}
