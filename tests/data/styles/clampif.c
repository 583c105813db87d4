void leaky(int n, const float *x, float *y) { for (int i = 0; i < n; i++) { if (x[i] > 0) y[i] = x[i]; else y[i] = 0.1f * x[i]; } }
