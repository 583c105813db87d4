void vadd(int n, const double *a, const double *b, double *c) { int i = 0; while (i < n) { c[i] = a[i] + b[i]; i++; } }
