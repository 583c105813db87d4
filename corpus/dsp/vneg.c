/* tensorlift-expect
{"function": "vneg", "plain": true,
 "program": "out(i) = -in(i)",
 "params": [
   {"name": "n", "kind": "scalar", "dtype": "int", "role": "dimension"},
   {"name": "in", "kind": "array", "dtype": "float", "access": "read", "shape": ["n"]},
   {"name": "out", "kind": "array", "dtype": "float", "access": "write", "shape": ["n"]}],
 "returns": null, "tied_sizes": []}
*/
void vneg(int n, const float *in, float *out)
{
    for (int i = 0; i < n; i++)
        out[i] = -in[i];
}
