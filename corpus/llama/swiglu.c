/* tensorlift-expect
{"function": "swiglu", "plain": false,
 "program": "hb(i) = hb(i) * (1 / (1 + exp(-hb(i)))) * hb2(i)",
 "params": [
   {"name": "hb", "kind": "array", "dtype": "float", "access": "readwrite", "shape": ["hidden_dim"]},
   {"name": "hb2", "kind": "array", "dtype": "float", "access": "read", "shape": ["hidden_dim"]},
   {"name": "hidden_dim", "kind": "scalar", "dtype": "int", "role": "dimension"}],
 "returns": null, "tied_sizes": []}
*/
/* SwiGLU non-linearity of the feed-forward block: silu(hb) * hb2, in place. */
#include <math.h>

void swiglu(float *hb, float *hb2, int hidden_dim)
{
    for (int i = 0; i < hidden_dim; i++) {
        float val = hb[i];
        /* silu(x) = x * sigmoid(x) */
        val *= (1.0f / (1.0f + expf(-val)));
        val *= hb2[i];
        hb[i] = val;
    }
}
