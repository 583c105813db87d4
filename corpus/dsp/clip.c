/* Hard limiter on 16-bit samples. */
void clip(int n, const short *x, short lo, short hi, short *y)
{
    int i;
    for (i = 0; i < n; i++)
        y[i] = x[i] < lo ? lo : (x[i] > hi ? hi : x[i]);
}
