/* tensorlift-expect
{"function": "gemv_t", "plain": true,
 "program": "y(j) = a(i,j) * x(i)",
 "params": [
   {"name": "m", "kind": "scalar", "dtype": "int", "role": "dimension"},
   {"name": "n", "kind": "scalar", "dtype": "int", "role": "dimension"},
   {"name": "a", "kind": "array", "dtype": "double", "access": "read", "shape": ["m", "n"]},
   {"name": "x", "kind": "array", "dtype": "double", "access": "read", "shape": ["m"]},
   {"name": "y", "kind": "array", "dtype": "double", "access": "write", "shape": ["n"]}],
 "returns": null, "tied_sizes": []}
*/
/* Transposed matrix-vector product: y = a^T x, a stored row-major m x n. */
void gemv_t(int m, int n, const double *a, const double *x, double *y)
{
    int i, j;
    for (j = 0; j < n; j++)
        y[j] = 0.0;
    for (i = 0; i < m; i++)
        for (j = 0; j < n; j++)
            y[j] += a[i * n + j] * x[i];
}
