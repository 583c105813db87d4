#include <math.h>
float length(const float *v, int n) { float s = 0.0f; for (int i = 0; i < n; i++) s += v[i] * v[i]; return sqrtf(s); }
