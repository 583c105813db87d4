/* tensorlift-expect
{"function": "dct", "plain": false,
 "program": "temp2d(i,j) = block(i,k) * cos2(k,j); block(i,j) = cos1(i,k) * temp2d(k,j)",
 "params": [
   {"name": "block", "kind": "array", "dtype": "float", "access": "readwrite", "shape": ["8", "8"]},
   {"name": "cos1", "kind": "array", "dtype": "float", "access": "read", "shape": ["8", "8"]},
   {"name": "cos2", "kind": "array", "dtype": "float", "access": "read", "shape": ["8", "8"]},
   {"name": "temp2d", "kind": "array", "dtype": "float", "access": "write", "shape": ["8", "8"]}],
 "returns": null, "tied_sizes": []}
*/
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
