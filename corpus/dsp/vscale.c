/* tensorlift-expect
{"function": "vscale", "plain": true,
 "program": "y(i) = k * x(i)",
 "params": [
   {"name": "n", "kind": "scalar", "dtype": "int", "role": "dimension"},
   {"name": "k", "kind": "scalar", "dtype": "double", "role": "value"},
   {"name": "x", "kind": "array", "dtype": "double", "access": "read", "shape": ["n"]},
   {"name": "y", "kind": "array", "dtype": "double", "access": "write", "shape": ["n"]}],
 "returns": null, "tied_sizes": []}
*/
void vscale(int n, double k, const double *x, double *y)
{
    for (int i = 0; i < n; i++)
        y[i] = k * x[i];
}
