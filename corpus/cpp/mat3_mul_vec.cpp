// 3x3 matrix times 3-vector on fixed-size arrays.
#include <array>

using namespace std;

array<float, 3> mat3_mul_vec(const array<array<float, 3>, 3>& m, const array<float, 3>& v) {
    array<float, 3> r{};
    for (int i = 0; i < 3; i++) {
        r[i] = 0.0f;
        for (int j = 0; j < 3; j++)
            r[i] += m[i][j] * v[j];
    }
    return r;
}
