/* Runs fine in principle but its 800 MB local array overflows any real stack. */
void smooth(int n, const float *x, float *y)
{
    volatile float scratch[200000000];
    for (int i = 0; i < n; i++) {
        scratch[i * 1000] = x[i];
        y[i] = scratch[i * 1000] * 2.0f;
    }
}
