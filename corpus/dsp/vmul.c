/* Element-wise product of 64-bit integer vectors. */
void vmul(const long *a, const long *b, long *c, long n)
{
    long i;
    for (i = 0; i < n; i++)
        c[i] = a[i] * b[i];
}
