// Softmax of a vector of logits, returned as a new vector.
#include <algorithm>
#include <cmath>
#include <vector>

using namespace std;

static float largest(const vector<float>& x) {
    float m = x[0];
    for (size_t i = 1; i < x.size(); i++)
        m = max(m, x[i]);
    return m;
}

vector<float> softmax(const vector<float>& x) {
    float m = largest(x);
    vector<float> p;
    float total = 0.0f;
    for (float v : x) {
        float e = expf(v - m);
        p.push_back(e);
        total += e;
    }
    for (auto& e : p)
        e /= total;
    return p;
}
