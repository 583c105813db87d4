void rev_scale(int n, float *x, float a) { for (int i = n - 1; i >= 0; i--) x[i] = a * x[i]; }
