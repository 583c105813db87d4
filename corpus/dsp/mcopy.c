/* tensorlift-expect
{"function": "mcopy", "plain": true,
 "program": "dst(r,c) = src(r,c)",
 "params": [
   {"name": "rows", "kind": "scalar", "dtype": "int", "role": "dimension"},
   {"name": "cols", "kind": "scalar", "dtype": "int", "role": "dimension"},
   {"name": "src", "kind": "array", "dtype": "int", "access": "read", "shape": ["rows", "cols"]},
   {"name": "dst", "kind": "array", "dtype": "int", "access": "write", "shape": ["rows", "cols"]}],
 "returns": null, "tied_sizes": []}
*/
void mcopy(int rows, int cols, const int *src, int *dst)
{
    int r, c;
    for (r = 0; r < rows; r++)
        for (c = 0; c < cols; c++)
            dst[r * cols + c] = src[r * cols + c];
}
