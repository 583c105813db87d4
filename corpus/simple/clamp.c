/* tensorlift-expect
{"function": "clamp", "plain": false,
 "program": "out(i) = min(max(x(i), lo), hi)",
 "params": [
   {"name": "n", "kind": "scalar", "dtype": "int", "role": "dimension"},
   {"name": "x", "kind": "array", "dtype": "float", "access": "read", "shape": ["n"]},
   {"name": "lo", "kind": "scalar", "dtype": "float", "role": "value"},
   {"name": "hi", "kind": "scalar", "dtype": "float", "role": "value"},
   {"name": "out", "kind": "array", "dtype": "float", "access": "write", "shape": ["n"]}],
 "returns": null, "tied_sizes": []}
*/
void clamp(int n, const float *x, float lo, float hi, float *out)
{
    for (int i = 0; i < n; i++) {
        float v = x[i];
        if (v < lo)
            v = lo;
        if (v > hi)
            v = hi;
        out[i] = v;
    }
}
