/* Elementwise multiply with w3(x) in the feed-forward block. */
void elementwise_mul(float *hb, float *hb2, int hidden_dim)
{
    for (int i = 0; i < hidden_dim; i++) {
        hb[i] = hb[i] * hb2[i];
    }
}
