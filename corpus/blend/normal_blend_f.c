/* tensorlift-expect
{"function": "normal_blend_f", "plain": true,
 "program": "out(i) = opacity * active(i) + (1 - opacity) * base(i)",
 "params": [
   {"name": "base", "kind": "array", "dtype": "float", "access": "read", "shape": ["n"]},
   {"name": "active", "kind": "array", "dtype": "float", "access": "read", "shape": ["n"]},
   {"name": "out", "kind": "array", "dtype": "float", "access": "write", "shape": ["n"]},
   {"name": "opacity", "kind": "scalar", "dtype": "float", "role": "value"},
   {"name": "n", "kind": "scalar", "dtype": "int", "role": "dimension"}],
 "returns": null, "tied_sizes": []}
*/
/* Normal blend of two float images (pixels flattened). */
void normal_blend_f(float *base, float *active, float *out, float opacity, int n)
{
    for (int i = 0; i < n; ++i)
        out[i] = opacity * active[i] + (1 - opacity) * base[i];
}
