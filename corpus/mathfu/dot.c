/* tensorlift-expect
{"function": "dot", "plain": true,
 "program": "dot = a(i) * b(i)",
 "params": [
   {"name": "a", "kind": "array", "dtype": "double", "access": "read", "shape": ["d"]},
   {"name": "b", "kind": "array", "dtype": "double", "access": "read", "shape": ["d"]},
   {"name": "d", "kind": "scalar", "dtype": "int", "role": "dimension"}],
 "returns": {"dtype": "double"}, "tied_sizes": []}
*/
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
