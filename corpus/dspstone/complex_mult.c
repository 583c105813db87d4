/* n complex multiplications on split real/imaginary arrays (two outputs). */
void complex_mult(int n, const float *ar, const float *ai, const float *br,
                  const float *bi, float *cr, float *ci)
{
    register const float *p_ar = ar, *p_ai = ai, *p_br = br, *p_bi = bi;
    register float *p_cr = cr, *p_ci = ci;
    int k;

    for (k = 0; k < n; k++) {
        *p_cr++ = *p_ar * *p_br - *p_ai * *p_bi;
        *p_ci++ = *p_ar++ * *p_bi++ + *p_ai++ * *p_br++;
    }
}
