void twice(int n, const float *x, float *y) { int i; for (i = 0; i + 1 < n; i += 2) { y[i] = 2.0f * x[i]; y[i+1] = 2.0f * x[i+1]; } for (; i < n; i++) y[i] = 2.0f * x[i]; }
