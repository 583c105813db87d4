/* Bad input: allocates 64 GiB and touches every page of it (only run under a memory
 * limit; if the allocation fails, the first touch writes through NULL and crashes). */
#include <stddef.h>
#include <stdlib.h>

float huge_sum(int n, const float *x)
{
    size_t bytes = (size_t)64 << 30;
    size_t count = bytes / sizeof(float);
    float *scratch = malloc(bytes);
    float s = 0.0f;
    for (size_t k = 0; k < count; k += 1024)
        scratch[k] = x[k % (size_t)n];
    for (size_t k = 0; k < count; k += 1024)
        s += scratch[k];
    free(scratch);
    return s;
}
