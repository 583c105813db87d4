/* Three-point moving average over the interior of a signal. */
void smooth3(int n, const float *x, float *y)
{
    int i;
    for (i = 1; i < n - 1; i++)
        y[i] = (x[i - 1] + x[i] + x[i + 1]) / 3;
}
