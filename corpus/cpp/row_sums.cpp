// Sum of each row of a matrix.
#include <vector>

using namespace std;

vector<double> row_sums(const vector<vector<double>>& a) {
    vector<double> sums(a.size(), 0.0);
    for (size_t i = 0; i < a.size(); i++)
        for (double v : a[i])
            sums[i] += v;
    return sums;
}
