void mv(int m, int n, double A[m][n], double x[n], double y[m]) { for (int i = 0; i < m; i++) { double t = 0.0; for (int j = 0; j < n; j++) t += A[i][j] * x[j]; y[i] = t; } }
