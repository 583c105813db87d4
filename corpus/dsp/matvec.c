/* Accumulating matrix-vector product: out += mat * vec. */
void matvec(const int *mat, const int *vec, int *out, int rows, int cols)
{
    for (int r = 0; r < rows; r++)
        for (int c = 0; c < cols; c++)
            out[r] += mat[c + r * cols] * vec[c];
}
