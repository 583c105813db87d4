double mixdot(int n, const float *a, const int *b) { double acc = 0.0; for (int i = 0; i < n; ++i) acc += a[i] * b[i]; return acc; }
