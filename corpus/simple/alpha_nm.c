/* tensorlift-expect
{"function": "alpha_nm", "plain": true,
 "program": "b(i,j) = n * m * a(i,j)",
 "params": [
   {"name": "n", "kind": "scalar", "dtype": "int", "role": "dimension"},
   {"name": "m", "kind": "scalar", "dtype": "int", "role": "dimension"},
   {"name": "a", "kind": "array", "dtype": "int", "access": "read", "shape": ["n", "m"]},
   {"name": "b", "kind": "array", "dtype": "int", "access": "write", "shape": ["n", "m"]}],
 "returns": null, "tied_sizes": []}
*/
/* A scalar computed from the sizes before the loop and used in the arithmetic. */
void alpha_nm(int n, int m, const int *a, int *b)
{
    int alpha = n * m;
    int i, j;
    for (i = 0; i < n; i++)
        for (j = 0; j < m; j++)
            b[i * m + j] = alpha * a[i * m + j];
}
