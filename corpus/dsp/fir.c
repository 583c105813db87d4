/* tensorlift-expect
{"function": "fir", "plain": true,
 "program": "fir = x(i) * h(i)",
 "params": [
   {"name": "x", "kind": "array", "dtype": "float", "access": "read", "shape": ["ntaps"]},
   {"name": "h", "kind": "array", "dtype": "float", "access": "read", "shape": ["ntaps"]},
   {"name": "ntaps", "kind": "scalar", "dtype": "int", "role": "dimension"}],
 "returns": {"dtype": "float"}, "tied_sizes": []}
*/
/* One output sample of an FIR filter: delay line x times coefficients h. */
float fir(const float *x, const float *h, int ntaps)
{
    float acc = 0.0f;
    for (int i = 0; i < ntaps; i++)
        acc += x[i] * h[i];
    return acc;
}
