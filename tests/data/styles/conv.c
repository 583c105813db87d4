void norm(int n, const int *a, float *out) { for (int i = 0; i < n; i++) out[i] = (float)a[i] / n; }
