// Last step of softmax: normalise by the sum.
#include <vector>

void softmax_divide(std::vector<float>& x, float sum) {
    for (auto& v : x)
        v = v / sum;
}
