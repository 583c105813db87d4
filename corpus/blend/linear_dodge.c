/* tensorlift-expect
{"function": "linear_dodge", "plain": false,
 "program": "out(i,j) = min(base(i,j) + active(i,j), 255)",
 "params": [
   {"name": "base", "kind": "array", "dtype": "int", "access": "read", "shape": ["m", "n"]},
   {"name": "active", "kind": "array", "dtype": "int", "access": "read", "shape": ["m", "n"]},
   {"name": "out", "kind": "array", "dtype": "int", "access": "write", "shape": ["m", "n"]},
   {"name": "m", "kind": "scalar", "dtype": "int", "role": "dimension"},
   {"name": "n", "kind": "scalar", "dtype": "int", "role": "dimension"}],
 "returns": null, "tied_sizes": []}
*/
/* Linear dodge (add) saturating at 255. */
void linear_dodge(const int *base, const int *active, int *out, int m, int n)
{
    int row, col;
    for (row = 0; row < m; row++)
        for (col = 0; col < n; col++) {
            int s = base[row * n + col] + active[row * n + col];
            out[row * n + col] = s > 255 ? 255 : s;
        }
}
