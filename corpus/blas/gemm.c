/* tensorlift-expect
{"function": "gemm", "plain": true,
 "program": "C(i,j) = A(i,k) * B(k,j)",
 "params": [
   {"name": "M", "kind": "scalar", "dtype": "int", "role": "dimension"},
   {"name": "N", "kind": "scalar", "dtype": "int", "role": "dimension"},
   {"name": "K", "kind": "scalar", "dtype": "int", "role": "dimension"},
   {"name": "A", "kind": "array", "dtype": "int", "access": "read", "shape": ["M", "K"]},
   {"name": "B", "kind": "array", "dtype": "int", "access": "read", "shape": ["K", "N"]},
   {"name": "C", "kind": "array", "dtype": "int", "access": "write", "shape": ["M", "N"]}],
 "returns": null, "tied_sizes": []}
*/
/* Integer matrix product C = A B. */
void gemm(int M, int N, int K, const int *A, const int *B, int *C)
{
    int i, j, k;
    for (i = 0; i < M; i++) {
        for (j = 0; j < N; j++) {
            int sum = 0;
            for (k = 0; k < K; k++)
                sum += A[i * K + k] * B[k * N + j];
            C[i * N + j] = sum;
        }
    }
}
