/* tensorlift-expect
{"function": "lighten_blend", "plain": false,
 "program": "out(i,j) = max(base(i,j), active(i,j))",
 "params": [
   {"name": "base", "kind": "array", "dtype": "float", "access": "read", "shape": ["m", "n"]},
   {"name": "active", "kind": "array", "dtype": "float", "access": "read", "shape": ["m", "n"]},
   {"name": "out", "kind": "array", "dtype": "float", "access": "write", "shape": ["m", "n"]},
   {"name": "m", "kind": "scalar", "dtype": "int", "role": "dimension"},
   {"name": "n", "kind": "scalar", "dtype": "int", "role": "dimension"}],
 "returns": null, "tied_sizes": []}
*/
/* Lighten: keep the lighter of the two pixels. */
void lighten_blend(const float *base, const float *active, float *out, int m, int n)
{
    for (int row = 0; row < m; row++)
        for (int col = 0; col < n; col++) {
            float b = base[col + row * n], a = active[col + row * n];
            if (b > a)
                out[col + row * n] = b;
            else
                out[col + row * n] = a;
        }
}
