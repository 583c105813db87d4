// Linear burn on float pixels, without clamping.
#include <vector>

using namespace std;

vector<vector<float>> linear_burn_f(vector<vector<float>> base, vector<vector<float>> active) {
    vector<vector<float>> out;
    for (size_t r = 0; r < base.size(); r++) {
        vector<float> row;
        for (size_t c = 0; c < base[0].size(); c++)
            row.push_back(base[r][c] + active[r][c] - 1.0f);
        out.push_back(row);
    }
    return out;
}
