// First step of softmax: the largest logit.
#include <algorithm>
#include <vector>

using namespace std;

float softmax_max(const vector<float>& x) {
    float best = x[0];
    for (auto v : x)
        best = max(best, v);
    return best;
}
