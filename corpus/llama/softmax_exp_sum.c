/* tensorlift-expect
{"function": "softmax_exp_sum", "plain": false,
 "program": "x(i) = exp(x(i) - max_val); softmax_exp_sum = x(i)",
 "params": [
   {"name": "x", "kind": "array", "dtype": "float", "access": "readwrite", "shape": ["size"]},
   {"name": "size", "kind": "scalar", "dtype": "int", "role": "dimension"},
   {"name": "max_val", "kind": "scalar", "dtype": "float", "role": "value"}],
 "returns": {"dtype": "float"}, "tied_sizes": []}
*/
/* Middle part of softmax: exponentiate in place and return the sum. */
#include <math.h>

float softmax_exp_sum(float *x, int size, float max_val)
{
    float sum = 0.0f;
    for (int i = 0; i < size; i++) {
        x[i] = expf(x[i] - max_val);
        sum += x[i];
    }
    return sum;
}
