/* Kernels defined for some inputs only: examples must avoid a zero divisor and wide shifts. */
#include <math.h>

static int f(int v) { return v; }

void silu_int(const int *input, int *out, int n)
{
    for (int i = 0; i < n; ++i)
        out[i] = input[i] * (1 / (1 + f(0 - input[i])));     /* 1 + f(-x) is 0 at x = 1 */
}

void div_elem(const int *a, const int *b, int *out, int n)
{
    for (int i = 0; i < n; ++i)
        out[i] = a[i] / (b[i] - 1);
}

void variance_cpu(float *x, float *mean, int batch, int filters, int spatial, float *variance)
{
    float scale = 1./(batch * spatial - 1);                    /* darknet's: infinite at one element */
    for (int i = 0; i < filters; ++i) {
        variance[i] = 0;
        for (int j = 0; j < batch; ++j)
            for (int k = 0; k < spatial; ++k)
                variance[i] += pow((x[j*filters*spatial + i*spatial + k] - mean[i]), 2);
        variance[i] *= scale;
    }
}

void reorg_cpu(float *x, int w, int h, int c, int batch, int stride, int forward, float *out)
{
    int out_c = c / (stride * stride);
    for (int b = 0; b < batch; ++b)
        for (int k = 0; k < c; ++k)
            for (int j = 0; j < h; ++j)
                for (int i = 0; i < w; ++i) {
                    int in_index = i + w * (j + h * (k + c * b));
                    int c2 = k % out_c, offset = k / out_c;
                    int w2 = i * stride + offset % stride, h2 = j * stride + offset / stride;
                    int out_index = w2 + w * stride * (h2 + h * stride * (c2 + out_c * b));
                    if (forward) out[out_index] = x[in_index];
                    else out[in_index] = x[out_index];
                }
}
