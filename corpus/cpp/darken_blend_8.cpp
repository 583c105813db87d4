// Darken blend on 8-bit style pixels held in plain ints.
#include <vector>

using namespace std;

vector<vector<int>> darken_blend_8(vector<vector<int>> base, vector<vector<int>> active) {
    vector<vector<int>> result;
    int rows = base.size();
    int cols = base[0].size();
    for (int r = 0; r < rows; r++) {
        vector<int> line;
        for (int c = 0; c < cols; c++) {
            int b = base[r][c];
            int a = active[r][c];
            int pick;
            if (a < b)
                pick = a;
            else
                pick = b;
            line.push_back(pick);
        }
        result.push_back(line);
    }
    return result;
}
