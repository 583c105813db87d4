/* tensorlift-expect
{"function": "tied_transpose", "plain": true,
 "program": "out(i,j) = in(j,i)",
 "params": [
   {"name": "n", "kind": "scalar", "dtype": "int", "role": "dimension"},
   {"name": "m", "kind": "scalar", "dtype": "int", "role": "dimension"},
   {"name": "in", "kind": "array", "dtype": "float", "access": "read", "shape": ["m", "n"]},
   {"name": "out", "kind": "array", "dtype": "float", "access": "write", "shape": ["n", "m"]}],
 "returns": null, "tied_sizes": [["n", "m"]]}
*/
/* Transpose written with the same row length n on both sides: only right when n == m. */
void tied_transpose(int n, int m, const float *in, float *out)
{
    for (int i = 0; i < n; i++)
        for (int j = 0; j < m; j++)
            out[i * n + j] = in[j * n + i];
}
