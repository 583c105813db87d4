void dotp(int n, const float *a, const float *b, float *result) { float s = 0; for (int i = 0; i < n; i++) s += a[i] * b[i]; *result = s; }
