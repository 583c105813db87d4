/* SiLU activation of the feed-forward hidden state, in place. */
#include <math.h>

void silu(float *hb, int hidden_dim)
{
    for (int i = 0; i < hidden_dim; i++) {
        float val = hb[i];
        // silu(x)=x*σ(x), where σ(x) is the logistic sigmoid
        val *= (1.0f / (1.0f + expf(-val)));
        hb[i] = val;
    }
}
