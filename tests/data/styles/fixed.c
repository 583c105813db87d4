#define N 16
int dot_product(int *a, int *b) { int i, s = 0; for (i = 0; i < N; i++) s += a[i] * b[i]; return s; }
