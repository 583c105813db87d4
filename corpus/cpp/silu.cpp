// SiLU activation: x times its sigmoid.
#include <cmath>
#include <vector>

using namespace std;

static float sigmoid(float v) {
    return 1.0f / (1.0f + exp(-v));
}

vector<float> silu(const vector<float>& x) {
    vector<float> out;
    for (float v : x)
        out.push_back(v * sigmoid(v));
    return out;
}
