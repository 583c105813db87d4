/* Bad input: a recursive kernel (sum of an array by recursion on its length). */
int rsum(const int *a, int n)
{
    if (n <= 0)
        return 0;
    return a[n - 1] + rsum(a, n - 1);
}
