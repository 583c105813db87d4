/* tensorlift-expect
{"function": "matvec", "plain": true,
 "program": "out(r) += mat(r,c) * vec(c)",
 "params": [
   {"name": "mat", "kind": "array", "dtype": "int", "access": "read", "shape": ["rows", "cols"]},
   {"name": "vec", "kind": "array", "dtype": "int", "access": "read", "shape": ["cols"]},
   {"name": "out", "kind": "array", "dtype": "int", "access": "readwrite", "shape": ["rows"]},
   {"name": "rows", "kind": "scalar", "dtype": "int", "role": "dimension"},
   {"name": "cols", "kind": "scalar", "dtype": "int", "role": "dimension"}],
 "returns": null, "tied_sizes": []}
*/
/* Accumulating matrix-vector product: out += mat * vec. */
void matvec(const int *mat, const int *vec, int *out, int rows, int cols)
{
    for (int r = 0; r < rows; r++)
        for (int c = 0; c < cols; c++)
            out[r] += mat[c + r * cols] * vec[c];
}
