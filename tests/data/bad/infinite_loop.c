/* Bad input: never returns, for any input. The volatile flag keeps the compiler
 * from removing the loop. */
void wait_and_sum(int n, const int *a, int *out)
{
    volatile int busy = 1;
    int s = 0;
    while (busy) {
        /* spin */
    }
    for (int i = 0; i < n; i++)
        s += a[i];
    *out = s;
}
