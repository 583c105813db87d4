// Overlay blend on a float scanline: multiply in the shadows, screen in the highlights.
#include <vector>

using namespace std;

static float overlay(float b, float a) {
    if (b < 0.5f)
        return 2.0f * b * a;
    return 1.0f - 2.0f * (1.0f - b) * (1.0f - a);
}

vector<float> overlay_blend_f(vector<float> base, vector<float> active) {
    vector<float> out(base.size());
    for (size_t i = 0; i < base.size(); i++)
        out[i] = overlay(base[i], active[i]);
    return out;
}
