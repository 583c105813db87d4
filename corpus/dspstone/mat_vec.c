/* A is walked continuously row by row; the vector pointer restarts for each row. */
void mat_vec(const double *A, const double *x, double *y, int rows, int cols)
{
    const double *p_a = A;
    double *p_y = y;
    int i, j;

    for (i = 0; i < rows; i++) {
        const double *p_x = x;
        double s = 0.0;
        for (j = 0; j < cols; j++)
            s += *p_a++ * *p_x++;
        *p_y++ = s;
    }
}
