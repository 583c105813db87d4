// Screen blend of two 8-bit images.
#include <cstdint>
#include <vector>

using namespace std;

static int screen_channel(int b, int a) {
    return 255 - (255 - b) * (255 - a) / 255;
}

vector<vector<uint8_t>> screen_blend_8(vector<vector<uint8_t>> base, vector<vector<uint8_t>> active) {
    vector<vector<uint8_t>> out;
    int rows = base.size();
    int cols = base[0].size();
    for (int r = 0; r < rows; r++) {
        vector<uint8_t> line;
        for (int c = 0; c < cols; c++)
            line.push_back(screen_channel(base[r][c], active[r][c]));
        out.push_back(line);
    }
    return out;
}
