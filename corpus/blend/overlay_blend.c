/* Overlay blend: multiply in the shadows, screen in the highlights. */
void overlay_blend(const float *base, const float *active, float *out, int n)
{
    for (int i = 0; i < n; i++) {
        if (base[i] < 0.5f)
            out[i] = 2 * base[i] * active[i];
        else
            out[i] = 1 - 2 * (1 - base[i]) * (1 - active[i]);
    }
}
