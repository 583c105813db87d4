/* C += ALPHA * A * B^T (B stored N x K). */
void gemm_nt(int M, int N, int K, float ALPHA,
             float *A, int lda,
             float *B, int ldb,
             float *C, int ldc)
{
    int i, j, k;
    for (i = 0; i < M; ++i) {
        for (j = 0; j < N; ++j) {
            for (k = 0; k < K; ++k) {
                C[i*ldc+j] += ALPHA*A[i*lda+k]*B[j*ldb+k];
            }
        }
    }
}
