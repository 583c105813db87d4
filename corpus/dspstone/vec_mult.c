/* tensorlift-expect
{"function": "vec_mult", "plain": true,
 "program": "c(i) = a(i) * b(i)",
 "params": [
   {"name": "a", "kind": "array", "dtype": "float", "access": "read", "shape": ["n"]},
   {"name": "b", "kind": "array", "dtype": "float", "access": "read", "shape": ["n"]},
   {"name": "c", "kind": "array", "dtype": "float", "access": "write", "shape": ["n"]},
   {"name": "n", "kind": "scalar", "dtype": "int", "role": "dimension"}],
 "returns": null, "tied_sizes": []}
*/
void vec_mult(float *a, float *b, float *c, int n)
{
    register float *p_a = a, *p_b = b, *p_c = c;
    int f;

    for (f = 0; f < n; f++)
        *p_c++ = *p_a++ * *p_b++;
}
