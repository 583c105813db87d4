/* tensorlift-expect
{"function": "madd", "plain": true,
 "program": "C(i,j) = A(i,j) + B(i,j)",
 "params": [
   {"name": "rows", "kind": "scalar", "dtype": "int", "role": "dimension"},
   {"name": "cols", "kind": "scalar", "dtype": "int", "role": "dimension"},
   {"name": "A", "kind": "array", "dtype": "float", "access": "read", "shape": ["rows", "cols"]},
   {"name": "B", "kind": "array", "dtype": "float", "access": "read", "shape": ["rows", "cols"]},
   {"name": "C", "kind": "array", "dtype": "float", "access": "write", "shape": ["rows", "cols"]}],
 "returns": null, "tied_sizes": []}
*/
void madd(int rows, int cols, const float *A, const float *B, float *C)
{
    for (int i = 0; i < rows; i++)
        for (int j = 0; j < cols; j++)
            C[j + i * cols] = A[j + i * cols] + B[j + i * cols];
}
