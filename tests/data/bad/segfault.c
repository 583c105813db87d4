/* Bad input: compiles, but writes far outside any buffer it was given (crashes when run). */
void copy_far(int n, const float *x, float *y)
{
    long far = 1L << 40;   /* a terabyte past the output */
    for (int i = 0; i < n; i++)
        y[i + far] = x[i];
}
