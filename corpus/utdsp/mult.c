/* UTDSP mult: fixed-size matrix multiplication on 2-D arrays. */
#define N 6
#define M 5
#define P 4

void mult(int A[N][M], int B[M][P], int C[N][P])
{
    int i, j, k;
    int sum;

    for (i = 0; i < N; i++) {
        for (j = 0; j < P; j++) {
            sum = 0;
            for (k = 0; k < M; k++)
                sum += A[i][k] * B[k][j];
            C[i][j] = sum;
        }
    }
}
