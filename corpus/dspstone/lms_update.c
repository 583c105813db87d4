/* tensorlift-expect
{"function": "lms_update", "plain": true,
 "program": "h(i) += mu_err * x(i)",
 "params": [
   {"name": "h", "kind": "array", "dtype": "float", "access": "readwrite", "shape": ["ntaps"]},
   {"name": "x", "kind": "array", "dtype": "float", "access": "read", "shape": ["ntaps"]},
   {"name": "mu_err", "kind": "scalar", "dtype": "float", "role": "value"},
   {"name": "ntaps", "kind": "scalar", "dtype": "int", "role": "dimension"}],
 "returns": null, "tied_sizes": []}
*/
/* Coefficient update of an LMS filter, counting the taps down. */
void lms_update(float *h, const float *x, float mu_err, int ntaps)
{
    register float *p_h = h;
    register const float *p_x = x;

    while (ntaps-- > 0)
        *p_h++ += mu_err * *p_x++;
}
