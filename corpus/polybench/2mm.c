/* PolyBench 2mm on linearised arrays: D := alpha*A*B*C + beta*D, through tmp. */
void kernel_2mm(int ni, int nj, int nk, int nl, float alpha, float beta,
                float *tmp, const float *A, const float *B, const float *C, float *D)
{
  int i, j, k;

  /* tmp := alpha * A * B */
  for (i = 0; i < ni; i++)
    for (j = 0; j < nj; j++) {
      tmp[i * nj + j] = 0.0f;
      for (k = 0; k < nk; ++k)
        tmp[i * nj + j] += alpha * A[i * nk + k] * B[k * nj + j];
    }
  /* D := tmp * C + beta * D */
  for (i = 0; i < ni; i++)
    for (j = 0; j < nl; j++) {
      D[i * nl + j] *= beta;
      for (k = 0; k < nj; ++k)
        D[i * nl + j] += tmp[i * nj + k] * C[k * nl + j];
    }
}
