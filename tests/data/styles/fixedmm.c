#define X 8
#define Y 8
#define Z 8
void matrix(int A[X][Y], int B[Y][Z], int C[X][Z]) { int i,j,k; for (i=0;i<X;i++) for (j=0;j<Z;j++) { C[i][j] = 0; for (k=0;k<Y;k++) C[i][j] += A[i][k]*B[k][j]; } }
