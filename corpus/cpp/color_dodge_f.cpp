// Color dodge on float pixels.
#include <algorithm>
#include <vector>

using namespace std;

vector<vector<float>> color_dodge_f(const vector<vector<float>>& base,
                                    const vector<vector<float>>& active) {
    int m = base.size();
    int n = base[0].size();
    vector<vector<float>> out(m, vector<float>(n, 0.0f));
    for (int i = 0; i < m; i++) {
        for (int j = 0; j < n; j++) {
            float a = active[i][j];
            if (a >= 1.0f)
                out[i][j] = 1.0f;
            else
                out[i][j] = min(1.0f, base[i][j] / (1.0f - a));
        }
    }
    return out;
}
