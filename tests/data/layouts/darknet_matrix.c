/* darknet's matrix: sizes and rows of data in one struct passed by value. */
typedef struct matrix {
    int rows, cols;
    float **vals;
} matrix;

void matrix_add_matrix(matrix from, matrix to)
{
    int i, j;
    for (i = 0; i < from.rows; ++i)
        for (j = 0; j < from.cols; ++j)
            to.vals[i][j] += from.vals[i][j];
}

void scale_matrix(matrix m, float scale)
{
    int i, j;
    for (i = 0; i < m.rows; ++i)
        for (j = 0; j < m.cols; ++j)
            m.vals[i][j] *= scale;
}
