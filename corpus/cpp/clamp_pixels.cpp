// Clamp every pixel of a row into [lo, hi].
#include <algorithm>
#include <vector>

using namespace std;

vector<int> clamp_pixels(vector<int> v, int lo, int hi) {
    for (auto& p : v)
        p = min(max(p, lo), hi);
    return v;
}
