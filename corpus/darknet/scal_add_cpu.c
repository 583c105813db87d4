void scal_add_cpu(int N, float ALPHA, float BETA, float *X)
{
    int i;
    for(i = 0; i < N; ++i) X[i] = X[i]*ALPHA + BETA;
}
