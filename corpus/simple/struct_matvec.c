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
