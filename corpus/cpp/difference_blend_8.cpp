// Difference blend: absolute difference of two images.
#include <cstdlib>
#include <vector>

using namespace std;

vector<vector<int>> difference_blend_8(vector<vector<int>> base, vector<vector<int>> active) {
    vector<vector<int>> out;
    int m = base.size();
    int n = base[0].size();
    for (int row = 0; row < m; row++) {
        vector<int> row_vec;
        for (int col = 0; col < n; col++)
            row_vec.push_back(abs(base[row][col] - active[row][col]));
        out.push_back(row_vec);
    }
    return out;
}
