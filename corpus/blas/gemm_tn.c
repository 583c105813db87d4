/* C += ALPHA * A^T * B (A stored K x M). */
void gemm_tn(int M, int N, int K, double ALPHA,
             const double *A, int lda,
             const double *B, int ldb,
             double *C, int ldc)
{
    int i, j, k;
    for (i = 0; i < M; ++i) {
        for (k = 0; k < K; ++k) {
            register double A_PART = ALPHA * A[k * lda + i];
            for (j = 0; j < N; ++j)
                C[i * ldc + j] += A_PART * B[k * ldb + j];
        }
    }
}
