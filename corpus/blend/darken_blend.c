/* tensorlift-expect
{"function": "darken_blend", "plain": false,
 "program": "out(i,j) = min(base(i,j), active(i,j))",
 "params": [
   {"name": "base", "kind": "array", "dtype": "int", "access": "read", "shape": ["m", "n"]},
   {"name": "active", "kind": "array", "dtype": "int", "access": "read", "shape": ["m", "n"]},
   {"name": "out", "kind": "array", "dtype": "int", "access": "write", "shape": ["m", "n"]},
   {"name": "m", "kind": "scalar", "dtype": "int", "role": "dimension"},
   {"name": "n", "kind": "scalar", "dtype": "int", "role": "dimension"}],
 "returns": null, "tied_sizes": []}
*/
/* Darken: keep the darker of the two pixels. */
void darken_blend(const int *base, const int *active, int *out, int m, int n)
{
    int row, col;
    for (row = 0; row < m; row++) {
        for (col = 0; col < n; col++) {
            int b = base[row * n + col];
            int a = active[row * n + col];
            out[row * n + col] = b < a ? b : a;
        }
    }
}
