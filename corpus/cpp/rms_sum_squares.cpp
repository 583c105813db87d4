// First step of rmsnorm: the sum of squares of the activations.
#include <vector>

float rms_sum_squares(const std::vector<float>& x) {
    float ss = 0.0f;
    for (float v : x)
        ss += v * v;
    return ss;
}
