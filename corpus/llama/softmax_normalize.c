/* Last part of softmax: normalise in place. */
void softmax_normalize(float *x, int size, float sum)
{
    for (int i = 0; i < size; i++) {
        x[i] /= sum;
    }
}
