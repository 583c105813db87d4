/* A matrix sum written as one flattened loop over all M*N elements. */
void madd(int M, int N, const float *a, const float *b, float *c) { for (int i = 0; i < M * N; i++) c[i] = a[i] + b[i]; }
