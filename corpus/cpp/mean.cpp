// Mean of a vector.
#include <vector>

using namespace std;

float mean(const vector<float>& x) {
    float s = 0.0f;
    for (auto v : x)
        s += v;
    return s / x.size();
}
