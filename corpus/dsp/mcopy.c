void mcopy(int rows, int cols, const int *src, int *dst)
{
    int r, c;
    for (r = 0; r < rows; r++)
        for (c = 0; c < cols; c++)
            dst[r * cols + c] = src[r * cols + c];
}
