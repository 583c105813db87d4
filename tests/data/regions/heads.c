/* One head's attention scores against a layer's key cache, the head and the layer given as
 * arguments: every index is a loop variable plus an offset made of scalars. */
void head_scores(float *att, const float *q, const float *key_cache, int h, int head_size,
                 int n_pos, int kv_dim, int kv_mul, int loff)
{
    for (int t = 0; t < n_pos; t++) {
        const float *k = key_cache + loff + t * kv_dim + (h / kv_mul) * head_size;
        float score = 0.0f;
        for (int i = 0; i < head_size; i++)
            score += q[h * head_size + i] * k[i];
        att[t] = score;
    }
}
