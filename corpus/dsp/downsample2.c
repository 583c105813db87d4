/* Decimation by two: keep every other sample. */
void downsample2(int n, const float *x, float *y)
{
    int i;
    for (i = 0; i < n; i++)
        y[i] = x[2 * i];
}
