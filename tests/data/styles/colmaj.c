void tr(int rows, int cols, const float *in, float *out) { for (int c = 0; c < cols; c++) for (int r = 0; r < rows; r++) out[c * rows + r] = in[r * cols + c]; }
