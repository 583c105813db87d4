/* Block FIR: n outputs from a sliding window over x (needs index offsets). */
void fir_block(int n, int ntaps, const float *x, const float *h, float *y)
{
    for (int i = 0; i < n; i++) {
        float acc = 0.0f;
        for (int k = 0; k < ntaps; k++)
            acc += h[k] * x[i + k];
        y[i] = acc;
    }
}
