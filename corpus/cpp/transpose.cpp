// Transpose of an integer matrix.
#include <vector>

using namespace std;

vector<vector<int>> transpose(const vector<vector<int>>& a) {
    int rows = a.size();
    int cols = a[0].size();
    vector<vector<int>> t(cols, vector<int>(rows));
    for (int i = 0; i < rows; i++)
        for (int j = 0; j < cols; j++)
            t[j][i] = a[i][j];
    return t;
}
