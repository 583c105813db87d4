/* A file that includes the intrinsics header under __SSE__, as real libraries do. */
#ifdef __SSE__
#include <immintrin.h>
#endif

void vadd(int n, const float *a, const float *b, float *y)
{
    int i = 0;
#ifdef __SSE__
    for (; i + 4 <= n; i += 4)
        _mm_storeu_ps(y + i, _mm_add_ps(_mm_loadu_ps(a + i), _mm_loadu_ps(b + i)));
#endif
    for (; i < n; ++i)
        y[i] = a[i] + b[i];
}

void scale(int n, float s, float *x)
{
    for (int i = 0; i < n; ++i)
        x[i] *= s;
}
