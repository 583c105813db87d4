/* Last part of rmsnorm: normalise and scale by the learned weight (ss = 1/rms given). */
void rmsnorm_scale(float *o, float *x, float *weight, float ss, int size)
{
    for (int j = 0; j < size; j++) {
        o[j] = weight[j] * (ss * x[j]);
    }
}
