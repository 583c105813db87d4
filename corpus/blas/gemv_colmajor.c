/* tensorlift-expect
{"function": "gemv_colmajor", "plain": true,
 "program": "y(i) += A(j,i) * x(j)",
 "params": [
   {"name": "m", "kind": "scalar", "dtype": "int", "role": "dimension"},
   {"name": "n", "kind": "scalar", "dtype": "int", "role": "dimension"},
   {"name": "A", "kind": "array", "dtype": "float", "access": "read", "shape": ["n", "m"]},
   {"name": "x", "kind": "array", "dtype": "float", "access": "read", "shape": ["n"]},
   {"name": "y", "kind": "array", "dtype": "float", "access": "readwrite", "shape": ["m"]}],
 "returns": null, "tied_sizes": []}
*/
/* Fortran-order matrix (m rows, n columns, column j starts at j*m) times x, added to y. */
void gemv_colmajor(int m, int n, const float *A, const float *x, float *y)
{
    int i, j;
    for (j = 0; j < n; j++) {
        const float xj = x[j];
        for (i = 0; i < m; i++)
            y[i] += A[i + j * m] * xj;
    }
}
