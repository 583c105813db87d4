void mfill(int m, int n, float *A, float v)
{
    for (int i = 0; i < m; i++) {
        for (int j = 0; j < n; j++) {
            A[i * n + j] = v;
        }
    }
}
