// Sum of squared differences between predictions and targets.
#include <vector>

using namespace std;

static float square(float v) {
    return v * v;
}

float squared_error(const vector<float>& pred, const vector<float>& truth) {
    float total = 0.0f;
    for (size_t i = 0; i < pred.size(); i++)
        total += square(pred[i] - truth[i]);
    return total;
}
