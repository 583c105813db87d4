/* DSPstone matrix1 style: pointers reset inside the loops; B is stored as Z rows of Y. */
void matrix1(int *A, int *B, int *C, int X, int Y, int Z)
{
    register int *p_a, *p_b, *p_c = &C[0];
    int i, k, f;

    for (i = 0; i < X; i++) {
        for (k = 0; k < Z; k++) {
            p_a = &A[i * Y];
            p_b = &B[k * Y];
            *p_c = 0;
            for (f = 0; f < Y; f++)
                *p_c += *p_a++ * *p_b++;
            p_c++;
        }
    }
}
