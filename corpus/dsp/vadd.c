void vadd(int n, const int *a, const int *b, int *c)
{
    int i;
    for (i = 0; i < n; i++)
        c[i] = a[i] + b[i];
}
