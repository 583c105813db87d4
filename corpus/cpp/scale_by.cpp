// Scale a vector in place by a scalar.
#include <vector>

using namespace std;

void scale_by(vector<float>& x, float s) {
    for (float& v : x)
        v *= s;
}
