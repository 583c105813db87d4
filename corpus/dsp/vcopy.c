/* tensorlift-expect
{"function": "vcopy", "plain": true,
 "program": "dst(i) = src(i)",
 "params": [
   {"name": "src", "kind": "array", "dtype": "double", "access": "read", "shape": ["n"]},
   {"name": "dst", "kind": "array", "dtype": "double", "access": "write", "shape": ["n"]},
   {"name": "n", "kind": "scalar", "dtype": "int", "role": "dimension"}],
 "returns": null, "tied_sizes": []}
*/
void vcopy(const double *src, double *dst, unsigned int n)
{
    unsigned int i;
    for (i = 0; i < n; i++)
        dst[i] = src[i];
}
