#include <string.h>
void mm(int n, int m, int p, const double *A, const double *B, double *C) {
  memset(C, 0, sizeof(double) * n * p);
  for (int i = 0; i < n; i++) for (int k = 0; k < m; k++) for (int j = 0; j < p; j++) C[i*p + j] += A[i*m + k] * B[k*p + j];
}
