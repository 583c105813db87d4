void array_scale(int *a, int *b, int n, int k)
{
    int i;
    for (i = 0; i < n; i++)
        b[i] = k * a[i];
}
