// Linear dodge (add) on float pixels, clamped at white.
#include <algorithm>
#include <vector>

using namespace std;

vector<vector<float>> linear_dodge_f(const vector<vector<float>>& base,
                                     const vector<vector<float>>& active) {
    vector<vector<float>> out;
    int m = base.size();
    for (int i = 0; i < m; i++) {
        vector<float> row;
        int n = base[i].size();
        for (int j = 0; j < n; j++) {
            float sum = base[i][j] + active[i][j];
            row.push_back(std::min(sum, 1.0f));
        }
        out.push_back(row);
    }
    return out;
}
