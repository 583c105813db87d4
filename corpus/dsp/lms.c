/* tensorlift-expect
{"function": "lms", "plain": true,
 "program": "w(i) += mu * e * x(i)",
 "params": [
   {"name": "n", "kind": "scalar", "dtype": "int", "role": "dimension"},
   {"name": "mu", "kind": "scalar", "dtype": "float", "role": "value"},
   {"name": "e", "kind": "scalar", "dtype": "float", "role": "value"},
   {"name": "x", "kind": "array", "dtype": "float", "access": "read", "shape": ["n-1"]},
   {"name": "w", "kind": "array", "dtype": "float", "access": "readwrite", "shape": ["n-1"]}],
 "returns": null, "tied_sizes": []}
*/
/* LMS adaptive filter weight update; the last tap is left alone. */
void lms(int n, float mu, float e, const float *x, float *w)
{
    int i;
    for (i = 0; i < n - 1; i++)
        w[i] += mu * e * x[i];
}
