/* Linear interpolation between two vectors. */
void lerp(int d, const float *x, const float *y, float alpha, float *out)
{
    const float one_minus = 1.0f - alpha;
    for (int i = 0; i < d; ++i)
        out[i] = alpha * x[i] + one_minus * y[i];
}
