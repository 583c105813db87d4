// Rectified linear unit, applied to a copy of the input.
#include <vector>

using namespace std;

vector<float> relu(vector<float> x) {
    for (auto& v : x)
        if (v < 0.0f)
            v = 0.0f;
    return x;
}
