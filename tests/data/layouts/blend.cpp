// A C++ blend whose result is a local vector sized from an input's size.
#include <vector>
using namespace std;

vector<float> normal_blend(vector<float> a, vector<float> b, float opacity)
{
    vector<float> r(a.size());
    for (size_t i = 0; i < r.size(); i++)
        r.at(i) = opacity * b.at(i) + (1.0f - opacity) * a.at(i);
    return r;
}
