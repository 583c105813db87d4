// Dot product written into a reference parameter.
#include <vector>

void dot_ref(const std::vector<double>& a, const std::vector<double>& b, double& result) {
    result = 0.0;
    for (std::size_t i = 0; i < a.size(); i++)
        result += a[i] * b[i];
}
