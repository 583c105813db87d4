// Fixed-width update of an 8-element accumulator.
#include <array>

void saxpy8(std::array<double, 8>& y, const std::array<double, 8>& x, double a) {
    for (std::size_t i = 0; i < y.size(); i++)
        y[i] += a * x[i];
}
