void scal_cpu(int N, float ALPHA, float *X)
{
    int i;
    for(i = 0; i < N; ++i) X[i] *= ALPHA;
}
