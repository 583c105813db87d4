/* tensorlift-expect
{"function": "daxpy", "plain": true,
 "program": "y(i) = a * x(i) + y(i)",
 "params": [
   {"name": "n", "kind": "scalar", "dtype": "int", "role": "dimension"},
   {"name": "a", "kind": "scalar", "dtype": "double", "role": "value"},
   {"name": "x", "kind": "array", "dtype": "double", "access": "read", "shape": ["n"]},
   {"name": "y", "kind": "array", "dtype": "double", "access": "readwrite", "shape": ["n"]}],
 "returns": null, "tied_sizes": []}
*/
/* y := a*x + y */
void daxpy(int n, double a, const double *restrict x, double *restrict y)
{
    for (int i = 0; i < n; i++)
        y[i] = a * x[i] + y[i];
}
