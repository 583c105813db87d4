// Second step of softmax: exponentiate in place, shifted by the max, and sum.
#include <cmath>
#include <vector>

using namespace std;

float softmax_exp_sum(vector<float>& x, float max_val) {
    float sum = 0.0f;
    for (auto& v : x) {
        v = exp(v - max_val);
        sum += v;
    }
    return sum;
}
