/* deliberately broken: writes through a NULL pointer */
void crash(int *a, int n) {
    int *p = 0;
    for (int i = 0; i < n; i++)
        p[i] = a[i];
}
