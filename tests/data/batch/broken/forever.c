/* deliberately broken: never ends */
void forever(int *a, int n) {
    volatile int z = 1;
    while (z) {}
    for (int i = 0; i < n; i++)
        a[i] = 0;
}
