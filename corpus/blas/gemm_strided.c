/* tensorlift-expect
{"function": "sgemm", "plain": true,
 "program": "C(i,j) = BETA * C(i,j) + ALPHA * A(i,k) * B(k,j)",
 "params": [
   {"name": "M", "kind": "scalar", "dtype": "int", "role": "dimension"},
   {"name": "N", "kind": "scalar", "dtype": "int", "role": "dimension"},
   {"name": "K", "kind": "scalar", "dtype": "int", "role": "dimension"},
   {"name": "ALPHA", "kind": "scalar", "dtype": "float", "role": "value"},
   {"name": "A", "kind": "array", "dtype": "float", "access": "read", "shape": ["M", "K"]},
   {"name": "lda", "kind": "scalar", "dtype": "int", "role": "stride"},
   {"name": "B", "kind": "array", "dtype": "float", "access": "read", "shape": ["K", "N"]},
   {"name": "ldb", "kind": "scalar", "dtype": "int", "role": "stride"},
   {"name": "BETA", "kind": "scalar", "dtype": "float", "role": "value"},
   {"name": "C", "kind": "array", "dtype": "float", "access": "readwrite", "shape": ["M", "N"]},
   {"name": "ldc", "kind": "scalar", "dtype": "int", "role": "stride"}],
 "returns": null, "tied_sizes": []}
*/
/* C := ALPHA*A*B + BETA*C with explicit leading dimensions. */
void sgemm(int M, int N, int K, float ALPHA, const float *A, int lda,
           const float *B, int ldb, float BETA, float *C, int ldc)
{
    int i, j, k;
    for (i = 0; i < M; ++i)
        for (j = 0; j < N; ++j)
            C[i * ldc + j] *= BETA;
    for (i = 0; i < M; ++i) {
        for (k = 0; k < K; ++k) {
            register float A_PART = ALPHA * A[i * lda + k];
            for (j = 0; j < N; ++j)
                C[i * ldc + j] += A_PART * B[k * ldb + j];
        }
    }
}
