void madd(int rows, int cols, const float *A, const float *B, float *C)
{
    for (int i = 0; i < rows; i++)
        for (int j = 0; j < cols; j++)
            C[j + i * cols] = A[j + i * cols] + B[j + i * cols];
}
