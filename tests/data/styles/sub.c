void vsub_inplace(int n, double *x, const double *y) { for (int i = 0; i < n; i++) x[i] = x[i] - y[i]; }
