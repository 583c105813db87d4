/* tensorlift-expect
{"function": "relu", "plain": false,
 "program": "y(i) = max(x(i), 0)",
 "params": [
   {"name": "x", "kind": "array", "dtype": "int", "access": "read", "shape": ["n"]},
   {"name": "y", "kind": "array", "dtype": "int", "access": "write", "shape": ["n"]},
   {"name": "n", "kind": "scalar", "dtype": "int", "role": "dimension"}],
 "returns": null, "tied_sizes": []}
*/
void relu(const int *x, int *y, int n)
{
    int i;
    for (i = 0; i < n; i++)
        y[i] = x[i] > 0 ? x[i] : 0;
}
