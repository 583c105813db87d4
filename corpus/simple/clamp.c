void clamp(int n, const float *x, float lo, float hi, float *out)
{
    for (int i = 0; i < n; i++) {
        float v = x[i];
        if (v < lo)
            v = lo;
        if (v > hi)
            v = hi;
        out[i] = v;
    }
}
