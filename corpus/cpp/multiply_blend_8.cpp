// Multiply blend of two 8-bit images, rescaled to 0..255.
#include <cstdint>
#include <vector>

using namespace std;

vector<vector<int>> multiply_blend_8(vector<vector<uint8_t>> base, vector<vector<uint8_t>> active) {
    int m = base.size();
    int n = base[0].size();
    vector<vector<int>> out(m, vector<int>(n));
    for (int i = 0; i < m; i++) {
        for (int j = 0; j < n; j++) {
            out[i][j] = base[i][j] * active[i][j] / 255;
        }
    }
    return out;
}
