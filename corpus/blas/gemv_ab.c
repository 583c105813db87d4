/* tensorlift-expect
{"function": "dgemv", "plain": true,
 "program": "y(i) = alpha * A(i,j) * x(j) + beta * y(i)",
 "params": [
   {"name": "m", "kind": "scalar", "dtype": "int", "role": "dimension"},
   {"name": "n", "kind": "scalar", "dtype": "int", "role": "dimension"},
   {"name": "alpha", "kind": "scalar", "dtype": "double", "role": "value"},
   {"name": "A", "kind": "array", "dtype": "double", "access": "read", "shape": ["m", "n"]},
   {"name": "lda", "kind": "scalar", "dtype": "int", "role": "stride"},
   {"name": "x", "kind": "array", "dtype": "double", "access": "read", "shape": ["n"]},
   {"name": "beta", "kind": "scalar", "dtype": "double", "role": "value"},
   {"name": "y", "kind": "array", "dtype": "double", "access": "readwrite", "shape": ["m"]}],
 "returns": null, "tied_sizes": []}
*/
/* y := alpha*A*x + beta*y, row-major A with leading dimension lda. */
void dgemv(int m, int n, double alpha, const double *A, int lda,
           const double *x, double beta, double *y)
{
    int i, j;
    for (i = 0; i < m; i++) {
        double t = 0.0;
        for (j = 0; j < n; j++)
            t += A[i * lda + j] * x[j];
        y[i] = alpha * t + beta * y[i];
    }
}
