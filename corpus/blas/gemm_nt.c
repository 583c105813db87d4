/* tensorlift-expect
{"function": "gemm_nt", "plain": true,
 "program": "C(i,j) += ALPHA * A(i,k) * B(j,k)",
 "params": [
   {"name": "M", "kind": "scalar", "dtype": "int", "role": "dimension"},
   {"name": "N", "kind": "scalar", "dtype": "int", "role": "dimension"},
   {"name": "K", "kind": "scalar", "dtype": "int", "role": "dimension"},
   {"name": "ALPHA", "kind": "scalar", "dtype": "float", "role": "value"},
   {"name": "A", "kind": "array", "dtype": "float", "access": "read", "shape": ["M", "K"]},
   {"name": "lda", "kind": "scalar", "dtype": "int", "role": "stride"},
   {"name": "B", "kind": "array", "dtype": "float", "access": "read", "shape": ["N", "K"]},
   {"name": "ldb", "kind": "scalar", "dtype": "int", "role": "stride"},
   {"name": "C", "kind": "array", "dtype": "float", "access": "readwrite", "shape": ["M", "N"]},
   {"name": "ldc", "kind": "scalar", "dtype": "int", "role": "stride"}],
 "returns": null, "tied_sizes": []}
*/
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
