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
