/* tensorlift-expect
{"function": "linear_burn", "plain": true,
 "program": "out(i,j) = base(i,j) + active(i,j) - 255",
 "params": [
   {"name": "base", "kind": "array", "dtype": "int", "access": "read", "shape": ["m", "n"]},
   {"name": "active", "kind": "array", "dtype": "int", "access": "read", "shape": ["m", "n"]},
   {"name": "out", "kind": "array", "dtype": "int", "access": "write", "shape": ["m", "n"]},
   {"name": "m", "kind": "scalar", "dtype": "int", "role": "dimension"},
   {"name": "n", "kind": "scalar", "dtype": "int", "role": "dimension"}],
 "returns": null, "tied_sizes": []}
*/
/* Linear burn on 0..255 pixels (no clamping). */
void linear_burn(const int *base, const int *active, int *out, int m, int n)
{
    int row, col;
    for (row = 0; row < m; row++)
        for (col = 0; col < n; col++)
            out[row * n + col] = (base[row * n + col] + active[row * n + col]) - 255;
}
