/* Weighted sum of the value vectors by the attention weights. */
void attention_mix(float *xb, const float *att, const float *v, int n_pos,
                   int head_size, int kv_dim)
{
    for (int i = 0; i < head_size; i++)
        xb[i] = 0.0f;
    for (int t = 0; t < n_pos; t++) {
        const float *v_t = v + t * kv_dim;
        float a = att[t];
        for (int i = 0; i < head_size; i++) {
            xb[i] += a * v_t[i];
        }
    }
}
