/* tensorlift-expect
{"function": "vmul", "plain": true,
 "program": "c(i) = a(i) * b(i)",
 "params": [
   {"name": "a", "kind": "array", "dtype": "int", "access": "read", "shape": ["n"]},
   {"name": "b", "kind": "array", "dtype": "int", "access": "read", "shape": ["n"]},
   {"name": "c", "kind": "array", "dtype": "int", "access": "write", "shape": ["n"]},
   {"name": "n", "kind": "scalar", "dtype": "int", "role": "dimension"}],
 "returns": null, "tied_sizes": []}
*/
/* Element-wise product of 64-bit integer vectors. */
void vmul(const long *a, const long *b, long *c, long n)
{
    long i;
    for (i = 0; i < n; i++)
        c[i] = a[i] * b[i];
}
