/* Normal blend in 0..255 fixed point: needs C's truncating integer division. */
void normal_blend_8(int n, const int *base, const int *active, int opacity, int *out)
{
    int i;
    for (i = 0; i < n; i++)
        out[i] = (opacity * active[i] + (255 - opacity) * base[i]) / 255;
}
