/* tensorlift-expect
{"function": "difference_blend", "plain": false,
 "program": "out(i,j) = select(base(i,j) > active(i,j), base(i,j) - active(i,j), active(i,j) - base(i,j))",
 "params": [
   {"name": "base", "kind": "array", "dtype": "int", "access": "read", "shape": ["m", "n"]},
   {"name": "active", "kind": "array", "dtype": "int", "access": "read", "shape": ["m", "n"]},
   {"name": "out", "kind": "array", "dtype": "int", "access": "write", "shape": ["m", "n"]},
   {"name": "m", "kind": "scalar", "dtype": "int", "role": "dimension"},
   {"name": "n", "kind": "scalar", "dtype": "int", "role": "dimension"}],
 "returns": null, "tied_sizes": []}
*/
/* Difference blend: absolute difference of the two pixels. */
void difference_blend(const int *base, const int *active, int *out, int m, int n)
{
    for (int i = 0; i < m; i++)
        for (int j = 0; j < n; j++) {
            int b = base[i * n + j], a = active[i * n + j];
            out[i * n + j] = b > a ? b - a : a - b;
        }
}
