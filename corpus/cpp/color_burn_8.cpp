// Color burn of two 8-bit images.
#include <cstdint>
#include <vector>

using namespace std;

static int burn(int b, int a) {
    if (a == 0)
        return 0;
    int v = 255 - (255 - b) * 255 / a;
    return v < 0 ? 0 : v;
}

vector<vector<uint8_t>> color_burn_8(const vector<vector<uint8_t>>& base,
                                     const vector<vector<uint8_t>>& active) {
    vector<vector<uint8_t>> out;
    for (size_t r = 0; r < base.size(); r++) {
        vector<uint8_t> row;
        for (size_t c = 0; c < base[r].size(); c++)
            row.push_back(burn(base[r][c], active[r][c]));
        out.push_back(row);
    }
    return out;
}
