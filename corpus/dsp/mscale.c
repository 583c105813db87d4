/* tensorlift-expect
{"function": "mscale", "plain": true,
 "program": "mat(i,j) = s * mat(i,j)",
 "params": [
   {"name": "rows", "kind": "scalar", "dtype": "int", "role": "dimension"},
   {"name": "cols", "kind": "scalar", "dtype": "int", "role": "dimension"},
   {"name": "s", "kind": "scalar", "dtype": "double", "role": "value"},
   {"name": "mat", "kind": "array", "dtype": "double", "access": "readwrite", "shape": ["rows", "cols"]}],
 "returns": null, "tied_sizes": []}
*/
/* Scale a matrix in place. */
void mscale(int rows, int cols, double s, double *mat)
{
    int r, c;
    for (r = 0; r < rows; r++)
        for (c = 0; c < cols; c++)
            mat[r * cols + c] *= s;
}
