// Normal blend with an opacity: mixes the active layer over the base.
#include <vector>

using namespace std;

vector<float> normal_blend_f(vector<float> base, vector<float> active, float opacity) {
    vector<float> out;
    int n = base.size();
    for (int i = 0; i < n; i++)
        out.push_back(opacity * active[i] + (1.0f - opacity) * base[i]);
    return out;
}
