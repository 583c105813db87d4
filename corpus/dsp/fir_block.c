/* tensorlift-expect
{"function": "fir_block", "plain": false,
 "program": "y(i) = h(k) * x(i+k)",
 "params": [
   {"name": "n", "kind": "scalar", "dtype": "int", "role": "dimension"},
   {"name": "ntaps", "kind": "scalar", "dtype": "int", "role": "dimension"},
   {"name": "x", "kind": "array", "dtype": "float", "access": "read", "shape": ["n+ntaps-1"]},
   {"name": "h", "kind": "array", "dtype": "float", "access": "read", "shape": ["ntaps"]},
   {"name": "y", "kind": "array", "dtype": "float", "access": "write", "shape": ["n"]}],
 "returns": null, "tied_sizes": []}
*/
/* Block FIR: n outputs from a sliding window over x (needs index offsets). */
void fir_block(int n, int ntaps, const float *x, const float *h, float *y)
{
    for (int i = 0; i < n; i++) {
        float acc = 0.0f;
        for (int k = 0; k < ntaps; k++)
            acc += h[k] * x[i + k];
        y[i] = acc;
    }
}
