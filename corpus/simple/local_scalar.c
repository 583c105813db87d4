/* tensorlift-expect
{"function": "local_scalar", "plain": true,
 "program": "y(i) = 2 * alpha * x(i) + y(i)",
 "params": [
   {"name": "n", "kind": "scalar", "dtype": "int", "role": "dimension"},
   {"name": "alpha", "kind": "scalar", "dtype": "float", "role": "value"},
   {"name": "x", "kind": "array", "dtype": "float", "access": "read", "shape": ["n"]},
   {"name": "y", "kind": "array", "dtype": "float", "access": "readwrite", "shape": ["n"]}],
 "returns": null, "tied_sizes": []}
*/
void local_scalar(int n, float alpha, const float *x, float *y)
{
    float two_alpha = 2.0f * alpha;   /* hoisted out of the loop */
    for (int i = 0; i < n; i++)
        y[i] = two_alpha * x[i] + y[i];
}
