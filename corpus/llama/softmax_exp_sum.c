/* Middle part of softmax: exponentiate in place and return the sum. */
#include <math.h>

float softmax_exp_sum(float *x, int size, float max_val)
{
    float sum = 0.0f;
    for (int i = 0; i < size; i++) {
        x[i] = expf(x[i] - max_val);
        sum += x[i];
    }
    return sum;
}
