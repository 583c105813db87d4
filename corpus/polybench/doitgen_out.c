/* doitgen split so that the result goes to its own array (linearised 3-D indexing). */
void doitgen_out(int nr, int nq, int np, const float *A, const float *C4, float *out)
{
  for (int r = 0; r < nr; r++)
    for (int q = 0; q < nq; q++)
      for (int p = 0; p < np; p++) {
        float acc = 0.0f;
        for (int s = 0; s < np; s++)
          acc += A[(r * nq + q) * np + s] * C4[s * np + p];
        out[(r * nq + q) * np + p] = acc;
      }
}
