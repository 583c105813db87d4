/* tensorlift-expect
{"function": "mneg", "plain": true,
 "program": "B(i,j) = -A(i,j)",
 "params": [
   {"name": "A", "kind": "array", "dtype": "double", "access": "read", "shape": ["m", "n"]},
   {"name": "B", "kind": "array", "dtype": "double", "access": "write", "shape": ["m", "n"]},
   {"name": "m", "kind": "scalar", "dtype": "int", "role": "dimension"},
   {"name": "n", "kind": "scalar", "dtype": "int", "role": "dimension"}],
 "returns": null, "tied_sizes": []}
*/
void mneg(const double *A, double *B, int m, int n)
{
    int i, j;
    for (i = 0; i < m; i++)
        for (j = 0; j < n; j++)
            B[i * n + j] = -A[i * n + j];
}
