/* tensorlift-expect
{"function": "matmul", "plain": true,
 "program": "xout(i) = w(i,j) * x(j)",
 "params": [
   {"name": "xout", "kind": "array", "dtype": "float", "access": "write", "shape": ["d"]},
   {"name": "x", "kind": "array", "dtype": "float", "access": "read", "shape": ["n"]},
   {"name": "w", "kind": "array", "dtype": "float", "access": "read", "shape": ["d", "n"]},
   {"name": "n", "kind": "scalar", "dtype": "int", "role": "dimension"},
   {"name": "d", "kind": "scalar", "dtype": "int", "role": "dimension"}],
 "returns": null, "tied_sizes": []}
*/
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
