// Dot product of two vectors, returned as a scalar.
#include <vector>

using namespace std;

float dot(const vector<float>& a, const vector<float>& b) {
    float acc = 0.0f;
    int n = a.size();
    for (int i = 0; i < n; i++)
        acc += a[i] * b[i];
    return acc;
}
