/* tensorlift-expect
{"function": "lerp", "plain": true,
 "program": "out(i) = alpha * x(i) + (1 - alpha) * y(i)",
 "params": [
   {"name": "d", "kind": "scalar", "dtype": "int", "role": "dimension"},
   {"name": "x", "kind": "array", "dtype": "float", "access": "read", "shape": ["d"]},
   {"name": "y", "kind": "array", "dtype": "float", "access": "read", "shape": ["d"]},
   {"name": "alpha", "kind": "scalar", "dtype": "float", "role": "value"},
   {"name": "out", "kind": "array", "dtype": "float", "access": "write", "shape": ["d"]}],
 "returns": null, "tied_sizes": []}
*/
/* Linear interpolation between two vectors. */
void lerp(int d, const float *x, const float *y, float alpha, float *out)
{
    const float one_minus = 1.0f - alpha;
    for (int i = 0; i < d; ++i)
        out[i] = alpha * x[i] + one_minus * y[i];
}
