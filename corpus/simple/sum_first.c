/* tensorlift-expect
{"function": "sum_first", "plain": true,
 "program": "sum_first = arr(i)",
 "params": [
   {"name": "arr", "kind": "array", "dtype": "int", "access": "read", "shape": ["len"]},
   {"name": "len", "kind": "scalar", "dtype": "int", "role": "dimension"}],
 "returns": {"dtype": "int"}, "tied_sizes": []}
*/
/* Sum with the accumulator initialised to the first element. */
int sum_first(const int *arr, int len)
{
    int s = arr[0];
    int i;
    for (i = 1; i < len; i++)
        s += arr[i];
    return s;
}
