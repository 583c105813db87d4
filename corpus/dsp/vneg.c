void vneg(int n, const float *in, float *out)
{
    for (int i = 0; i < n; i++)
        out[i] = -in[i];
}
