/* Single-precision dot product (BLAS sdot, unit increments). */
float dot(int n, const float *x, const float *y)
{
    float acc = 0.0f;
    int i;
    for (i = 0; i < n; i++)
        acc += x[i] * y[i];
    return acc;
}
