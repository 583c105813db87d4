/* FIR output sample with 16-bit data and a 32-bit accumulator. */
long fir(const short *x, const short *h, int n)
{
    register const short *p_x = x, *p_h = h;
    register long y = 0;
    int i;

    for (i = 0; i < n; i++)
        y += *p_h++ * *p_x++;
    return y;
}
