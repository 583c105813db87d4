/* tensorlift-expect
{"function": "accum", "plain": true,
 "program": "a(i) += b(i)",
 "params": [
   {"name": "a", "kind": "array", "dtype": "float", "access": "readwrite", "shape": ["size"]},
   {"name": "b", "kind": "array", "dtype": "float", "access": "read", "shape": ["size"]},
   {"name": "size", "kind": "scalar", "dtype": "int", "role": "dimension"}],
 "returns": null, "tied_sizes": []}
*/
/* Residual connection: a += b. */
void accum(float *a, float *b, int size)
{
    for (int i = 0; i < size; i++) {
        a[i] += b[i];
    }
}
