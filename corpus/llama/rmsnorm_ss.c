/* tensorlift-expect
{"function": "rmsnorm_ss", "plain": true,
 "program": "rmsnorm_ss = x(j) * x(j)",
 "params": [
   {"name": "x", "kind": "array", "dtype": "float", "access": "read", "shape": ["size"]},
   {"name": "size", "kind": "scalar", "dtype": "int", "role": "dimension"}],
 "returns": {"dtype": "float"}, "tied_sizes": []}
*/
/* First part of rmsnorm: the sum of squares. */
float rmsnorm_ss(float *x, int size)
{
    float ss = 0.0f;
    for (int j = 0; j < size; j++) {
        ss += x[j] * x[j];
    }
    return ss;
}
