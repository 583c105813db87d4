/* The output is cleared first, so its old contents never matter. */
void init_then_add(int n, const int *a, const int *b, int *c)
{
    int i;
    for (i = 0; i < n; i++) {
        c[i] = 0;
        c[i] += a[i];
        c[i] += b[i];
    }
}
