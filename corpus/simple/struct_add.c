/* tensorlift-expect
{"function": "struct_add", "plain": true,
 "program": "to.vals(i,j) += from.vals(i,j)",
 "params": [
   {"name": "from.rows", "kind": "scalar", "dtype": "int", "role": "dimension"},
   {"name": "from.cols", "kind": "scalar", "dtype": "int", "role": "dimension"},
   {"name": "from.vals", "kind": "array", "dtype": "int", "access": "read", "shape": ["from.rows", "from.cols"]},
   {"name": "to.vals", "kind": "array", "dtype": "int", "access": "readwrite", "shape": ["from.rows", "from.cols"]}],
 "returns": null, "tied_sizes": []}
*/
struct matrix {
    int **vals;
    int rows;
    int cols;
};

/* to += from, sizes taken from the source matrix. */
void struct_add(struct matrix *from, struct matrix *to)
{
    int i, j;
    for (i = 0; i < from->rows; i++)
        for (j = 0; j < from->cols; j++)
            to->vals[i][j] += from->vals[i][j];
}
