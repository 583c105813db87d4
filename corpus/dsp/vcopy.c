void vcopy(const double *src, double *dst, unsigned int n)
{
    unsigned int i;
    for (i = 0; i < n; i++)
        dst[i] = src[i];
}
