/* HadamardProduct, with the element operation in a helper defined first. */
static inline double mul_elem(double x, double y)
{
    return x * y;
}

void hadamard(const double *a, const double *b, double *out, int d)
{
    for (int i = 0; i < d; ++i)
        out[i] = mul_elem(a[i], b[i]);
}
