/* LMS adaptive filter weight update; the last tap is left alone. */
void lms(int n, float mu, float e, const float *x, float *w)
{
    int i;
    for (i = 0; i < n - 1; i++)
        w[i] += mu * e * x[i];
}
