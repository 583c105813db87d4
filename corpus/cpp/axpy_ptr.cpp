// y = a*x + y on raw pointers, C style inside a C++ file.
#include <cstddef>

void axpy_ptr(int n, float a, const float* x, float* y) {
    for (int i = 0; i < n; ++i)
        y[i] = a * x[i] + y[i];
}
