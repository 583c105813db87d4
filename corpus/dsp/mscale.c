/* Scale a matrix in place. */
void mscale(int rows, int cols, double s, double *mat)
{
    int r, c;
    for (r = 0; r < rows; r++)
        for (c = 0; c < cols; c++)
            mat[r * cols + c] *= s;
}
