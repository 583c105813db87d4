/* tensorlift-expect
{"function": "softmax_max", "plain": false,
 "program": "softmax_max = max(x(i))",
 "params": [
   {"name": "x", "kind": "array", "dtype": "float", "access": "read", "shape": ["size"]},
   {"name": "size", "kind": "scalar", "dtype": "int", "role": "dimension"}],
 "returns": {"dtype": "float"}, "tied_sizes": []}
*/
/* First part of softmax: the maximum, for numerical stability. */
float softmax_max(float *x, int size)
{
    float max_val = x[0];
    for (int i = 1; i < size; i++) {
        if (x[i] > max_val) {
            max_val = x[i];
        }
    }
    return max_val;
}
