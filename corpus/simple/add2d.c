/* tensorlift-expect
{"function": "add2d", "plain": true,
 "program": "C(i,j) = A(i,j) + B(i,j)",
 "params": [
   {"name": "A", "kind": "array", "dtype": "int", "access": "read", "shape": ["rows", "cols"]},
   {"name": "B", "kind": "array", "dtype": "int", "access": "read", "shape": ["rows", "cols"]},
   {"name": "C", "kind": "array", "dtype": "int", "access": "write", "shape": ["rows", "cols"]},
   {"name": "rows", "kind": "scalar", "dtype": "int", "role": "dimension"},
   {"name": "cols", "kind": "scalar", "dtype": "int", "role": "dimension"}],
 "returns": null, "tied_sizes": []}
*/
/* 2-D arrays given as arrays of row pointers. */
void add2d(int **A, int **B, int **C, int rows, int cols)
{
    for (int i = 0; i < rows; i++)
        for (int j = 0; j < cols; j++)
            C[i][j] = A[i][j] + B[i][j];
}
