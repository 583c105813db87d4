/* tensorlift-expect
{"function": "sger", "plain": true,
 "program": "A(i,j) += alpha * x(i) * y(j)",
 "params": [
   {"name": "m", "kind": "scalar", "dtype": "int", "role": "dimension"},
   {"name": "n", "kind": "scalar", "dtype": "int", "role": "dimension"},
   {"name": "alpha", "kind": "scalar", "dtype": "float", "role": "value"},
   {"name": "x", "kind": "array", "dtype": "float", "access": "read", "shape": ["m"]},
   {"name": "y", "kind": "array", "dtype": "float", "access": "read", "shape": ["n"]},
   {"name": "A", "kind": "array", "dtype": "float", "access": "readwrite", "shape": ["m", "n"]},
   {"name": "lda", "kind": "scalar", "dtype": "int", "role": "stride"}],
 "returns": null, "tied_sizes": []}
*/
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
