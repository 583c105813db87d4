/* Color burn on 0..255 pixels: select plus truncating integer division. */
void color_burn(const int *base, const int *active, int *out, int n)
{
    int i;
    for (i = 0; i < n; i++) {
        if (active[i] == 0)
            out[i] = 255;
        else
            out[i] = 255 - (255 - base[i]) / active[i];
    }
}
