/* Convolution sample: the signal pointer walks backwards (reversed index). */
int convolution(const int *x, const int *h, int n)
{
    register const int *p_x = &x[n - 1];
    register const int *p_h = h;
    register int y = 0;

    while (n-- > 0)
        y += *p_h++ * *p_x--;
    return y;
}
