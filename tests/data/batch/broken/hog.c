/* deliberately broken: allocates and touches 64 GiB */
#include <stdlib.h>
#include <string.h>

void hog(int *a, int n) {
    size_t big = (size_t)64 << 30;
    char *p = malloc(big);
    memset(p, 1, big);
    for (int i = 0; i < n; i++)
        a[i] = p[i];
}
