/* tensorlift-expect
{"function": "gemm_tn", "plain": true,
 "program": "C(i,j) += ALPHA * A(k,i) * B(k,j)",
 "params": [
   {"name": "M", "kind": "scalar", "dtype": "int", "role": "dimension"},
   {"name": "N", "kind": "scalar", "dtype": "int", "role": "dimension"},
   {"name": "K", "kind": "scalar", "dtype": "int", "role": "dimension"},
   {"name": "ALPHA", "kind": "scalar", "dtype": "double", "role": "value"},
   {"name": "A", "kind": "array", "dtype": "double", "access": "read", "shape": ["K", "M"]},
   {"name": "lda", "kind": "scalar", "dtype": "int", "role": "stride"},
   {"name": "B", "kind": "array", "dtype": "double", "access": "read", "shape": ["K", "N"]},
   {"name": "ldb", "kind": "scalar", "dtype": "int", "role": "stride"},
   {"name": "C", "kind": "array", "dtype": "double", "access": "readwrite", "shape": ["M", "N"]},
   {"name": "ldc", "kind": "scalar", "dtype": "int", "role": "stride"}],
 "returns": null, "tied_sizes": []}
*/
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
