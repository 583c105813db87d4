/* 8x8 2-D DCT of one block as two matrix products, UTDSP style:
 * temp2d = block * cos2, then block = cos1 * temp2d (block is overwritten). */
#define B 8

void dct(float block[B][B], const float cos1[B][B], const float cos2[B][B],
         float temp2d[B][B])
{
    int i, j, k;
    float sum;

    for (i = 0; i < B; i++) {
        for (j = 0; j < B; j++) {
            sum = 0.0f;
            for (k = 0; k < B; k++)
                sum += block[i][k] * cos2[k][j];
            temp2d[i][j] = sum;
        }
    }
    for (i = 0; i < B; i++) {
        for (j = 0; j < B; j++) {
            sum = 0.0f;
            for (k = 0; k < B; k++)
                sum += cos1[i][k] * temp2d[k][j];
            block[i][j] = sum;
        }
    }
}
