/* Normal blend of two float images (pixels flattened). */
void normal_blend_f(float *base, float *active, float *out, float opacity, int n)
{
    for (int i = 0; i < n; ++i)
        out[i] = opacity * active[i] + (1 - opacity) * base[i];
}
