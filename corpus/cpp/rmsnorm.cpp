// Root-mean-square normalisation with learned weights.
#include <cmath>
#include <vector>

using namespace std;

vector<float> rmsnorm(const vector<float>& x, const vector<float>& weight) {
    float ss = 0.0f;
    for (auto v : x)
        ss += v * v;
    ss /= x.size();
    ss += 1e-5f;
    float inv = 1.0f / sqrt(ss);
    vector<float> o(x.size());
    for (size_t j = 0; j < o.size(); j++)
        o[j] = weight[j] * (inv * x[j]);
    return o;
}
