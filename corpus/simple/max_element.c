/* tensorlift-expect
{"function": "max_element", "plain": false,
 "program": "max_element = max(a(i))",
 "params": [
   {"name": "a", "kind": "array", "dtype": "int", "access": "read", "shape": ["n"]},
   {"name": "n", "kind": "scalar", "dtype": "int", "role": "dimension"}],
 "returns": {"dtype": "int"}, "tied_sizes": []}
*/
/* Max-reduction, accumulator initialised to the first element. */
int max_element(const int *a, int n)
{
    int m = a[0];
    for (int i = 1; i < n; i++)
        if (a[i] > m)
            m = a[i];
    return m;
}
