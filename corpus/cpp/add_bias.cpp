// Add a bias, given as a raw pointer, to a vector in place.
#include <vector>

using namespace std;

void add_bias(vector<float>& x, const float* bias) {
    for (size_t i = 0; i < x.size(); i++)
        x[i] += bias[i];
}
