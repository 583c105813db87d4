void relu(const int *x, int *y, int n)
{
    int i;
    for (i = 0; i < n; i++)
        y[i] = x[i] > 0 ? x[i] : 0;
}
