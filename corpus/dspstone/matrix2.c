/* Matrix product walking B down a column with a pointer stride of Z. */
void matrix2(float *A, float *B, float *C, int X, int Y, int Z)
{
    register float *p_a, *p_b, *p_c = C;
    register float sum;
    int i, k, f;

    for (i = 0; i < X; i++) {
        for (k = 0; k < Z; k++) {
            p_a = &A[i * Y];
            p_b = &B[k];
            sum = 0;
            for (f = 0; f < Y; f++) {
                sum += *p_a++ * *p_b;
                p_b += Z;
            }
            *p_c++ = sum;
        }
    }
}
