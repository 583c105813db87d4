// Outer product of two integer vectors.
#include <vector>

using namespace std;

vector<vector<int>> outer(vector<int> a, vector<int> b) {
    vector<vector<int>> out;
    for (size_t i = 0; i < a.size(); i++) {
        vector<int> row;
        for (auto v : b)
            row.push_back(a.at(i) * v);
        out.push_back(row);
    }
    return out;
}
