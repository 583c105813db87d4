// Multiply blend on normalised float pixels.
#include <vector>

using namespace std;

vector<vector<float>> multiply_blend_f(const vector<vector<float>>& base,
                                       const vector<vector<float>>& active) {
    vector<vector<float>> out(base.size());
    for (size_t i = 0; i < base.size(); i++) {
        out[i].resize(base[i].size());
        for (size_t j = 0; j < base[i].size(); j++)
            out[i][j] = base[i][j] * active[i][j];
    }
    return out;
}
