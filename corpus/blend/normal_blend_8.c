/* tensorlift-expect
{"function": "normal_blend_8", "plain": false,
 "program": "out(i) = (opacity * active(i) + (255 - opacity) * base(i)) / 255",
 "params": [
   {"name": "n", "kind": "scalar", "dtype": "int", "role": "dimension"},
   {"name": "base", "kind": "array", "dtype": "int", "access": "read", "shape": ["n"]},
   {"name": "active", "kind": "array", "dtype": "int", "access": "read", "shape": ["n"]},
   {"name": "opacity", "kind": "scalar", "dtype": "int", "role": "value"},
   {"name": "out", "kind": "array", "dtype": "int", "access": "write", "shape": ["n"]}],
 "returns": null, "tied_sizes": []}
*/
/* Normal blend in 0..255 fixed point: needs C's truncating integer division. */
void normal_blend_8(int n, const int *base, const int *active, int opacity, int *out)
{
    int i;
    for (i = 0; i < n; i++)
        out[i] = (opacity * active[i] + (255 - opacity) * base[i]) / 255;
}
