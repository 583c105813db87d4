void mul_cpu(int N, float *X, float *Y)
{
    int i;
    for(i = 0; i < N; ++i) Y[i] *= X[i];
}
