/* tensorlift-expect
{"function": "rmsnorm", "plain": false,
 "program": "o(j) = weight(j) * (1 / sqrt(x(k) * x(k) / size + 0.00001) * x(j))",
 "params": [
   {"name": "o", "kind": "array", "dtype": "float", "access": "write", "shape": ["size"]},
   {"name": "x", "kind": "array", "dtype": "float", "access": "read", "shape": ["size"]},
   {"name": "weight", "kind": "array", "dtype": "float", "access": "read", "shape": ["size"]},
   {"name": "size", "kind": "scalar", "dtype": "int", "role": "dimension"}],
 "returns": null, "tied_sizes": []}
*/
/* Full rmsnorm: needs sqrt, and divides by the size. */
#include <math.h>

void rmsnorm(float *o, float *x, float *weight, int size)
{
    float ss = 0.0f;
    for (int j = 0; j < size; j++) {
        ss += x[j] * x[j];
    }
    ss /= size;
    ss += 1e-5f;
    ss = 1.0f / sqrtf(ss);
    for (int j = 0; j < size; j++) {
        o[j] = weight[j] * (ss * x[j]);
    }
}
