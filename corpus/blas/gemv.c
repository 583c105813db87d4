/* tensorlift-expect
{"function": "gemv", "plain": true,
 "program": "y(i) = A(i,j) * x(j)",
 "params": [
   {"name": "M", "kind": "scalar", "dtype": "int", "role": "dimension"},
   {"name": "N", "kind": "scalar", "dtype": "int", "role": "dimension"},
   {"name": "A", "kind": "array", "dtype": "float", "access": "read", "shape": ["M", "N"]},
   {"name": "x", "kind": "array", "dtype": "float", "access": "read", "shape": ["N"]},
   {"name": "y", "kind": "array", "dtype": "float", "access": "write", "shape": ["M"]}],
 "returns": null, "tied_sizes": []}
*/
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
