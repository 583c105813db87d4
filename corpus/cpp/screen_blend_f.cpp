// Screen blend of two float scanlines.
#include <vector>

std::vector<float> screen_blend_f(const std::vector<float>& base, const std::vector<float>& active) {
    std::vector<float> out;
    for (std::size_t i = 0; i < base.size(); ++i) {
        float inv = (1.0f - base[i]) * (1.0f - active[i]);
        out.emplace_back(1.0f - inv);
    }
    return out;
}
