/* An attention step that calls the file's own softmax inside its loop over heads, after a
 * progress message: the loop over heads is the region. */
#include <math.h>
#include <stdio.h>
void softmax(float *x, int size) {
    float max_val = x[0];
    for (int i = 1; i < size; i++) if (x[i] > max_val) max_val = x[i];
    float sum = 0.0f;
    for (int i = 0; i < size; i++) { x[i] = expf(x[i] - max_val); sum += x[i]; }
    for (int i = 0; i < size; i++) x[i] /= sum;
}
void attend(int n_heads, int seq, float *att, const float *scores) {
    printf("attending\n");
    for (int h = 0; h < n_heads; h++) {
        for (int t = 0; t < seq; t++) att[h * seq + t] = scores[h * seq + t] * 0.5f;
        softmax(att + h * seq, seq);
    }
}
