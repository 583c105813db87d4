/* element-wise vector add; the helper has no loop and is not a kernel */
static int twice(int x) { return 2 * x; }

void vadd(float *out, const float *x, const float *y, int n) {
    for (int i = 0; i < n; i++)
        out[i] = x[i] + y[i];
}
