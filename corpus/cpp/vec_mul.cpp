// Element-wise product of two vectors.
#include <vector>

using namespace std;

vector<float> vec_mul(vector<float> a, vector<float> b) {
    vector<float> out;
    for (size_t i = 0; i < a.size(); ++i)
        out.emplace_back(a.at(i) * b.at(i));
    return out;
}
