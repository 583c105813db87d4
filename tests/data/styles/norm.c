#include <math.h>
void normalize(int n, const float *v, float *out) { float s = 0.0f; for (int i = 0; i < n; i++) s += v[i] * v[i]; float l = sqrtf(s); for (int i = 0; i < n; i++) out[i] = v[i] / l; }
