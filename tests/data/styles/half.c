void avg(int n, const float *a, const float *b, float *c) { if (n <= 0) return; for (int i = 0; i <= n - 1; i++) c[i] = 0.5f * (a[i] + b[i]); }
