/* One output sample of an FIR filter: delay line x times coefficients h. */
float fir(const float *x, const float *h, int ntaps)
{
    float acc = 0.0f;
    for (int i = 0; i < ntaps; i++)
        acc += x[i] * h[i];
    return acc;
}
