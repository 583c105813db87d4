/* tensorlift-expect
{"function": "array_scale", "plain": true,
 "program": "b(i) = k * a(i)",
 "params": [
   {"name": "a", "kind": "array", "dtype": "int", "access": "read", "shape": ["n"]},
   {"name": "b", "kind": "array", "dtype": "int", "access": "write", "shape": ["n"]},
   {"name": "n", "kind": "scalar", "dtype": "int", "role": "dimension"},
   {"name": "k", "kind": "scalar", "dtype": "int", "role": "value"}],
 "returns": null, "tied_sizes": []}
*/
void array_scale(int *a, int *b, int n, int k)
{
    int i;
    for (i = 0; i < n; i++)
        b[i] = k * a[i];
}
