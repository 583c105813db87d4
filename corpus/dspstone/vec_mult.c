void vec_mult(float *a, float *b, float *c, int n)
{
    register float *p_a = a, *p_b = b, *p_c = c;
    int f;

    for (f = 0; f < n; f++)
        *p_c++ = *p_a++ * *p_b++;
}
