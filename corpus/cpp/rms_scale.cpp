// Last step of rmsnorm: scale by the inverse root and by the weights.
#include <vector>

using namespace std;

void rms_scale(vector<float>& out, const vector<float>& x, const vector<float>& weight, float ss) {
    out.resize(x.size());
    for (size_t j = 0; j < x.size(); j++)
        out[j] = weight[j] * (ss * x[j]);
}
