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
