/* tensorlift-expect
{"function": "sscal", "plain": true,
 "program": "x(i) = alpha * x(i)",
 "params": [
   {"name": "n", "kind": "scalar", "dtype": "int", "role": "dimension"},
   {"name": "alpha", "kind": "scalar", "dtype": "float", "role": "value"},
   {"name": "x", "kind": "array", "dtype": "float", "access": "readwrite", "shape": ["n"]}],
 "returns": null, "tied_sizes": []}
*/
/* x := alpha*x, in place. */
void sscal(int n, float alpha, float *x)
{
    int i;
    for (i = 0; i < n; i++)
        x[i] = alpha * x[i];
}
