/* UTDSP FIR filter over a block: sliding window, a fixed 16 taps. */
#define NTAPS 16

void fir_window(int n, const float *input, const float *coef, float *output)
{
    int i, j;
    float sum;

    for (i = 0; i < n; i++) {
        sum = 0.0f;
        for (j = 0; j < NTAPS; j++)
            sum += coef[j] * input[i + j];
        output[i] = sum;
    }
}
