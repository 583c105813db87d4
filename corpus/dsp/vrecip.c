/* tensorlift-expect
{"function": "vrecip", "plain": true,
 "program": "y(i) = 1 / x(i)",
 "params": [
   {"name": "n", "kind": "scalar", "dtype": "int", "role": "dimension"},
   {"name": "x", "kind": "array", "dtype": "float", "access": "read", "shape": ["n"]},
   {"name": "y", "kind": "array", "dtype": "float", "access": "write", "shape": ["n"]}],
 "returns": null, "tied_sizes": [], "denominators": ["x"]}
*/
/* Element-wise reciprocal. */
void vrecip(int n, const float *x, float *y)
{
    int i;
    for (i = 0; i < n; i++)
        y[i] = 1.0f / x[i];
}
