/* llama-style matmul: W (d,n) @ x (n,) -> xout (d,) */
#pragma GCC diagnostic ignored "-Wunknown-pragmas"

void matmul(float *xout, float *x, float *w, int n, int d)
{
    int i;
    #pragma omp parallel for private(i)
    for (i = 0; i < d; i++) {
        float val = 0.0f;
        for (int j = 0; j < n; j++) {
            val += w[i * n + j] * x[j];
        }
        xout[i] = val;
    }
}
