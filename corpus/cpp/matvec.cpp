// Weight matrix times activation vector, one row at a time.
#include <vector>

using namespace std;

static float dot_row(const vector<float>& row, const vector<float>& x) {
    float acc = 0.0f;
    for (size_t j = 0; j < row.size(); j++)
        acc += row[j] * x[j];
    return acc;
}

vector<float> matvec(const vector<vector<float>>& w, const vector<float>& x) {
    vector<float> y;
    for (const auto& row : w)
        y.push_back(dot_row(row, x));
    return y;
}
