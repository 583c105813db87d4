void f(int n, int *a, int *b, int *c) { for (int i = 0; i < n; i++) c[i] = (a[i] - b[i]) * (a[i] + b[i]); }
