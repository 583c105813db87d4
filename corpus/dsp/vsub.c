/* tensorlift-expect
{"function": "vsub", "plain": true,
 "program": "out(i) = a(i) - b(i)",
 "params": [
   {"name": "out", "kind": "array", "dtype": "float", "access": "write", "shape": ["len"]},
   {"name": "a", "kind": "array", "dtype": "float", "access": "read", "shape": ["len"]},
   {"name": "b", "kind": "array", "dtype": "float", "access": "read", "shape": ["len"]},
   {"name": "len", "kind": "scalar", "dtype": "int", "role": "dimension"}],
 "returns": null, "tied_sizes": []}
*/
/* Vector subtraction, output first (CMSIS-like argument order differs on purpose). */
void vsub(float *restrict out, const float *restrict a, const float *restrict b, int len)
{
    for (int i = 0; i < len; ++i) {
        out[i] = a[i] - b[i];
    }
}
