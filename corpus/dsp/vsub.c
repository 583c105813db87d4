/* Vector subtraction, output first (CMSIS-like argument order differs on purpose). */
void vsub(float *restrict out, const float *restrict a, const float *restrict b, int len)
{
    for (int i = 0; i < len; ++i) {
        out[i] = a[i] - b[i];
    }
}
