/* tensorlift-expect
{"function": "init_then_add", "plain": true,
 "program": "c(i) = a(i) + b(i)",
 "params": [
   {"name": "n", "kind": "scalar", "dtype": "int", "role": "dimension"},
   {"name": "a", "kind": "array", "dtype": "int", "access": "read", "shape": ["n"]},
   {"name": "b", "kind": "array", "dtype": "int", "access": "read", "shape": ["n"]},
   {"name": "c", "kind": "array", "dtype": "int", "access": "write", "shape": ["n"]}],
 "returns": null, "tied_sizes": []}
*/
/* The output is cleared first, so its old contents never matter. */
void init_then_add(int n, const int *a, const int *b, int *c)
{
    int i;
    for (i = 0; i < n; i++) {
        c[i] = 0;
        c[i] += a[i];
        c[i] += b[i];
    }
}
