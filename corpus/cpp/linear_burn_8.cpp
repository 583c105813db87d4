// Linear burn of two 8-bit images, clamped at black.
#include <algorithm>
#include <cstdint>
#include <vector>

using namespace std;

vector<vector<uint8_t>> linear_burn_8(const vector<vector<uint8_t>>& base,
                                      const vector<vector<uint8_t>>& active) {
    int m = base.size();
    int n = base[0].size();
    vector<vector<uint8_t>> out(m, vector<uint8_t>(n, 0));
    for (int i = 0; i < m; i++)
        for (int j = 0; j < n; j++)
            out[i][j] = max(base[i][j] + active[i][j] - 255, 0);
    return out;
}
