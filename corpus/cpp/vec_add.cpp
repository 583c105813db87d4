// Element-wise sum of two vectors (a residual connection).
#include <vector>

using namespace std;

vector<float> vec_add(const vector<float>& a, const vector<float>& b) {
    vector<float> out(a.size());
    for (size_t i = 0; i < a.size(); i++)
        out[i] = a[i] + b[i];
    return out;
}
