// Lighten blend: the brighter of two 8-bit images.
#include <algorithm>
#include <cstdint>
#include <vector>

using namespace std;

vector<vector<uint8_t>> lighten_blend_8(const vector<vector<uint8_t>>& base,
                                        const vector<vector<uint8_t>>& active) {
    vector<vector<uint8_t>> out;
    for (size_t r = 0; r < base.size(); ++r) {
        vector<uint8_t> row;
        for (size_t c = 0; c < base[r].size(); ++c)
            row.push_back(max(base[r][c], active[r][c]));
        out.push_back(row);
    }
    return out;
}
