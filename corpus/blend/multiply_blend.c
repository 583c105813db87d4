/* tensorlift-expect
{"function": "multiply_blend", "plain": true,
 "program": "out(i,j) = base(i,j) * active(i,j)",
 "params": [
   {"name": "base", "kind": "array", "dtype": "float", "access": "read", "shape": ["m", "n"]},
   {"name": "active", "kind": "array", "dtype": "float", "access": "read", "shape": ["m", "n"]},
   {"name": "out", "kind": "array", "dtype": "float", "access": "write", "shape": ["m", "n"]},
   {"name": "m", "kind": "scalar", "dtype": "int", "role": "dimension"},
   {"name": "n", "kind": "scalar", "dtype": "int", "role": "dimension"}],
 "returns": null, "tied_sizes": []}
*/
/* Multiply blend on normalised [0,1] float pixels. */
void multiply_blend(const float *base, const float *active, float *out, int m, int n)
{
    for (int row = 0; row < m; row++)
        for (int col = 0; col < n; col++)
            out[row * n + col] = base[row * n + col] * active[row * n + col];
}
