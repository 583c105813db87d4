/* Inclusive prefix sum (running total) of a signal. */
void prefix_sum(int n, const float *x, float *y)
{
    y[0] = x[0];
    for (int i = 1; i < n; i++)
        y[i] = y[i - 1] + x[i];
}
