/* UTDSP FIR inner product over a fixed number of taps. */
#define NTAPS 32

float fir(const float input[NTAPS], const float coefficient[NTAPS])
{
    int i;
    float sum = 0.0f;

    for (i = 0; i < NTAPS; i++) {
        sum += input[i] * coefficient[i];
    }
    return sum;
}
