/* tensorlift-expect
{"function": "struct_scale", "plain": true,
 "program": "m.vals(i,j) = s * m.vals(i,j)",
 "params": [
   {"name": "m.rows", "kind": "scalar", "dtype": "int", "role": "dimension"},
   {"name": "m.cols", "kind": "scalar", "dtype": "int", "role": "dimension"},
   {"name": "m.vals", "kind": "array", "dtype": "int", "access": "readwrite", "shape": ["m.rows", "m.cols"]},
   {"name": "s", "kind": "scalar", "dtype": "int", "role": "value"}],
 "returns": null, "tied_sizes": []}
*/
typedef struct {
    int rows, cols;
    int **vals;
} mat_t;

/* The struct is passed by value; its rows are shared with the caller. */
void struct_scale(mat_t m, int s)
{
    for (int i = 0; i < m.rows; i++)
        for (int j = 0; j < m.cols; j++)
            m.vals[i][j] = s * m.vals[i][j];
}
