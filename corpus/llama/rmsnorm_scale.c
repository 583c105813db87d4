/* tensorlift-expect
{"function": "rmsnorm_scale", "plain": true,
 "program": "o(j) = weight(j) * (ss * x(j))",
 "params": [
   {"name": "o", "kind": "array", "dtype": "float", "access": "write", "shape": ["size"]},
   {"name": "x", "kind": "array", "dtype": "float", "access": "read", "shape": ["size"]},
   {"name": "weight", "kind": "array", "dtype": "float", "access": "read", "shape": ["size"]},
   {"name": "ss", "kind": "scalar", "dtype": "float", "role": "value"},
   {"name": "size", "kind": "scalar", "dtype": "int", "role": "dimension"}],
 "returns": null, "tied_sizes": []}
*/
/* Last part of rmsnorm: normalise and scale by the learned weight (ss = 1/rms given). */
void rmsnorm_scale(float *o, float *x, float *weight, float ss, int size)
{
    for (int j = 0; j < size; j++) {
        o[j] = weight[j] * (ss * x[j]);
    }
}
