/* tensorlift-expect
{"function": "msub", "plain": true,
 "program": "C(i,j) = A(i,j) - B(i,j)",
 "params": [
   {"name": "n", "kind": "scalar", "dtype": "int", "role": "dimension"},
   {"name": "m", "kind": "scalar", "dtype": "int", "role": "dimension"},
   {"name": "A", "kind": "array", "dtype": "int", "access": "read", "shape": ["n", "m"]},
   {"name": "B", "kind": "array", "dtype": "int", "access": "read", "shape": ["n", "m"]},
   {"name": "C", "kind": "array", "dtype": "int", "access": "write", "shape": ["n", "m"]}],
 "returns": null, "tied_sizes": []}
*/
/* Matrix difference with C99 variably modified parameters. */
void msub(int n, int m, int A[n][m], int B[n][m], int C[n][m])
{
    int i, j;
    for (i = 0; i < n; i++)
        for (j = 0; j < m; j++)
            C[i][j] = A[i][j] - B[i][j];
}
