/* tensorlift-expect
{"function": "array_sum", "plain": true,
 "program": "array_sum = a(i)",
 "params": [
   {"name": "a", "kind": "array", "dtype": "int", "access": "read", "shape": ["n"]},
   {"name": "n", "kind": "scalar", "dtype": "int", "role": "dimension"}],
 "returns": {"dtype": "int"}, "tied_sizes": []}
*/
int array_sum(int *a, int n)
{
    int sum = 0;
    for (int i = 0; i < n; i++) {
        sum += a[i];
    }
    return sum;
}
