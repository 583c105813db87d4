/* Rank-1 update A := alpha*x*y^T + A. */
void sger(int m, int n, float alpha, const float *x, const float *y,
          float *A, int lda)
{
    for (int i = 0; i < m; i++) {
        float t = alpha * x[i];
        for (int j = 0; j < n; j++)
            A[i * lda + j] += t * y[j];
    }
}
