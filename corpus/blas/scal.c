/* x := alpha*x, in place. */
void sscal(int n, float alpha, float *x)
{
    int i;
    for (i = 0; i < n; i++)
        x[i] = alpha * x[i];
}
