/* y = A x, A row-major M x N. */
void gemv(int M, int N, const float *A, const float *x, float *y)
{
    for (int i = 0; i < M; i++) {
        float s = 0.0f;
        for (int j = 0; j < N; j++)
            s += A[i * N + j] * x[j];
        y[i] = s;
    }
}
