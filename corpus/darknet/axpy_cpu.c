/* Darknet-style scaled add, unit strides only. */
void axpy_cpu(int N, float ALPHA, float *X, float *Y)
{
    int i;
    for(i = 0; i < N; ++i) Y[i] += ALPHA*X[i];
}
