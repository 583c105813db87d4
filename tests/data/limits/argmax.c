/* The position of the largest element (the first one on ties). */
int argmax(int n, const float *x)
{
    int best = 0;
    for (int i = 1; i < n; i++) {
        if (x[i] > x[best])
            best = i;
    }
    return best;
}
