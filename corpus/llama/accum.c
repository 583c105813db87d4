/* Residual connection: a += b. */
void accum(float *a, float *b, int size)
{
    for (int i = 0; i < size; i++) {
        a[i] += b[i];
    }
}
