/* The length of the leading run of positive samples: the loop stops at the first sample
 * that is not positive. */
int leading_positive(int n, const int *x)
{
    int i = 0;
    while (i < n && x[i] > 0)
        i++;
    return i;
}
