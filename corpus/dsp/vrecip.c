/* Element-wise reciprocal. */
void vrecip(int n, const float *x, float *y)
{
    int i;
    for (i = 0; i < n; i++)
        y[i] = 1.0f / x[i];
}
