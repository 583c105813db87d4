/* 2-D arrays given as arrays of row pointers. */
void add2d(int **A, int **B, int **C, int rows, int cols)
{
    for (int i = 0; i < rows; i++)
        for (int j = 0; j < cols; j++)
            C[i][j] = A[i][j] + B[i][j];
}
