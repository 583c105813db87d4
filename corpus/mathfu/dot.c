/* mathfu DotProduct(v1, v2). */
#define T double

T dot(const T *a, const T *b, int d)
{
    T result = 0;
    int i;
    for (i = 0; i < d; ++i) {
        result += a[i] * b[i];
    }
    return result;
}
