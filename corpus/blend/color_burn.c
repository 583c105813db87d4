/* tensorlift-expect
{"function": "color_burn", "plain": false,
 "program": "out(i) = select(active(i) == 0, 255, 255 - (255 - base(i)) / active(i))",
 "params": [
   {"name": "base", "kind": "array", "dtype": "int", "access": "read", "shape": ["n"]},
   {"name": "active", "kind": "array", "dtype": "int", "access": "read", "shape": ["n"]},
   {"name": "out", "kind": "array", "dtype": "int", "access": "write", "shape": ["n"]},
   {"name": "n", "kind": "scalar", "dtype": "int", "role": "dimension"}],
 "returns": null, "tied_sizes": [], "denominators": ["active"]}
*/
/* Color burn on 0..255 pixels: select plus truncating integer division. */
void color_burn(const int *base, const int *active, int *out, int n)
{
    int i;
    for (i = 0; i < n; i++) {
        if (active[i] == 0)
            out[i] = 255;
        else
            out[i] = 255 - (255 - base[i]) / active[i];
    }
}
