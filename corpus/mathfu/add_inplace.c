/* tensorlift-expect
{"function": "add_inplace", "plain": true,
 "program": "a(i) += b(i)",
 "params": [
   {"name": "a", "kind": "array", "dtype": "int", "access": "readwrite", "shape": ["d"]},
   {"name": "b", "kind": "array", "dtype": "int", "access": "read", "shape": ["d"]},
   {"name": "d", "kind": "scalar", "dtype": "int", "role": "dimension"}],
 "returns": null, "tied_sizes": []}
*/
/* Vector<int, d>::operator+=(const Vector &v) */
void add_inplace(int *a, const int *b, int d)
{
    for (int i = 0; i < d; ++i) a[i] += b[i];
}
