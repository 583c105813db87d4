// Dense matrix product of two row-major matrices.
#include <vector>

using namespace std;

vector<vector<float>> matmul(const vector<vector<float>>& a, const vector<vector<float>>& b) {
    int n = a.size();
    int inner = b.size();
    int p = b[0].size();
    vector<vector<float>> c(n, vector<float>(p, 0.0f));
    for (int i = 0; i < n; i++)
        for (int k = 0; k < inner; k++)
            for (int j = 0; j < p; j++)
                c[i][j] += a[i][k] * b[k][j];
    return c;
}
