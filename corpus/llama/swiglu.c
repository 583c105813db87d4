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
