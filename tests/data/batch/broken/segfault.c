/* deliberately broken: writes through a NULL pointer */
void crash(int *a, int *out, int n) {
    int *p = out;
    if (n > 0)
        p = (int *)0;
    for (int i = 0; i < n; i++)
        p[i] = a[i];
}
