/* tensorlift-expect
{"function": "hadamard", "plain": true,
 "program": "out(i) = a(i) * b(i)",
 "params": [
   {"name": "a", "kind": "array", "dtype": "double", "access": "read", "shape": ["d"]},
   {"name": "b", "kind": "array", "dtype": "double", "access": "read", "shape": ["d"]},
   {"name": "out", "kind": "array", "dtype": "double", "access": "write", "shape": ["d"]},
   {"name": "d", "kind": "scalar", "dtype": "int", "role": "dimension"}],
 "returns": null, "tied_sizes": []}
*/
/* HadamardProduct, with the element operation in a helper defined first. */
static inline double mul_elem(double x, double y)
{
    return x * y;
}

void hadamard(const double *a, const double *b, double *out, int d)
{
    for (int i = 0; i < d; ++i)
        out[i] = mul_elem(a[i], b[i]);
}
