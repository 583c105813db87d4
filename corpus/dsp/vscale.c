void vscale(int n, double k, const double *x, double *y)
{
    for (int i = 0; i < n; i++)
        y[i] = k * x[i];
}
