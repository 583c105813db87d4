/* tensorlift-expect
{"function": "dot", "plain": true,
 "program": "dot = x(i) * y(i)",
 "params": [
   {"name": "n", "kind": "scalar", "dtype": "int", "role": "dimension"},
   {"name": "x", "kind": "array", "dtype": "float", "access": "read", "shape": ["n"]},
   {"name": "y", "kind": "array", "dtype": "float", "access": "read", "shape": ["n"]}],
 "returns": {"dtype": "float"}, "tied_sizes": []}
*/
/* Single-precision dot product (BLAS sdot, unit increments). */
float dot(int n, const float *x, const float *y)
{
    float acc = 0.0f;
    int i;
    for (i = 0; i < n; i++)
        acc += x[i] * y[i];
    return acc;
}
