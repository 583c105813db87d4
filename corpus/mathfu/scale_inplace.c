/* tensorlift-expect
{"function": "scale_inplace", "plain": true,
 "program": "a(i) = a(i) * s",
 "params": [
   {"name": "a", "kind": "array", "dtype": "float", "access": "readwrite", "shape": ["d"]},
   {"name": "d", "kind": "scalar", "dtype": "int", "role": "dimension"},
   {"name": "s", "kind": "scalar", "dtype": "float", "role": "value"}],
 "returns": null, "tied_sizes": []}
*/
/* Vector<T, d>::operator*=(T s) */
void scale_inplace(float *a, int d, float s)
{
    for (int i = 0; i < d; ++i) a[i] *= s;
}
