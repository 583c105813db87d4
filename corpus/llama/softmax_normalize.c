/* tensorlift-expect
{"function": "softmax_normalize", "plain": true,
 "program": "x(i) = x(i) / sum",
 "params": [
   {"name": "x", "kind": "array", "dtype": "float", "access": "readwrite", "shape": ["size"]},
   {"name": "size", "kind": "scalar", "dtype": "int", "role": "dimension"},
   {"name": "sum", "kind": "scalar", "dtype": "float", "role": "value"}],
 "returns": null, "tied_sizes": [], "denominators": ["sum"]}
*/
/* Last part of softmax: normalise in place. */
void softmax_normalize(float *x, int size, float sum)
{
    for (int i = 0; i < size; i++) {
        x[i] /= sum;
    }
}
