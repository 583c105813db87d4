/* tensorlift-expect
{"function": "struct_matvec", "plain": true,
 "program": "y(i) = a.vals(i,j) * x(j)",
 "params": [
   {"name": "a.rows", "kind": "scalar", "dtype": "int", "role": "dimension"},
   {"name": "a.cols", "kind": "scalar", "dtype": "int", "role": "dimension"},
   {"name": "a.vals", "kind": "array", "dtype": "double", "access": "read", "shape": ["a.rows", "a.cols"]},
   {"name": "x", "kind": "array", "dtype": "double", "access": "read", "shape": ["a.cols"]},
   {"name": "y", "kind": "array", "dtype": "double", "access": "write", "shape": ["a.rows"]}],
 "returns": null, "tied_sizes": []}
*/
typedef struct Matrix {
    double **vals;
    int rows;
    int cols;
} Matrix;

void struct_matvec(const Matrix *a, const double *x, double *y)
{
    int i, j;
    for (i = 0; i < a->rows; i++) {
        double s = 0.0;
        for (j = 0; j < a->cols; j++)
            s += a->vals[i][j] * x[j];
        y[i] = s;
    }
}
