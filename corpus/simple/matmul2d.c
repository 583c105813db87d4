/* tensorlift-expect
{"function": "matmul2d", "plain": true,
 "program": "C(i,j) = A(i,k) * B(k,j)",
 "params": [
   {"name": "n", "kind": "scalar", "dtype": "int", "role": "dimension"},
   {"name": "m", "kind": "scalar", "dtype": "int", "role": "dimension"},
   {"name": "p", "kind": "scalar", "dtype": "int", "role": "dimension"},
   {"name": "A", "kind": "array", "dtype": "int", "access": "read", "shape": ["n", "m"]},
   {"name": "B", "kind": "array", "dtype": "int", "access": "read", "shape": ["m", "p"]},
   {"name": "C", "kind": "array", "dtype": "int", "access": "write", "shape": ["n", "p"]}],
 "returns": null, "tied_sizes": []}
*/
void matmul2d(int n, int m, int p, int **A, int **B, int **C)
{
    int i, j, k;
    for (i = 0; i < n; i++) {
        for (j = 0; j < p; j++) {
            C[i][j] = 0;
            for (k = 0; k < m; k++)
                C[i][j] += A[i][k] * B[k][j];
        }
    }
}
