void axpy(unsigned n, float alpha, const float *restrict x, float *restrict y) { for (unsigned i = 0; i < n; i++) *(y + i) += alpha * *(x + i); }
