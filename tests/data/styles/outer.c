void outer(int m, int n, const double *u, const double *v, double *M) { for (int i = 0; i < m; i++) for (int j = 0; j < n; j++) M[i*n+j] = u[i]*v[j]; }
