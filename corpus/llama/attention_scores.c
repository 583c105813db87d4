/* Attention scores of one head: q . k_t for every cached position t, times 1/sqrt(head_size)
 * (given as scale); the key cache rows are kv_dim apart. */
void attention_scores(float *att, const float *q, const float *k, int n_pos,
                      int head_size, int kv_dim, float scale)
{
    for (int t = 0; t < n_pos; t++) {
        const float *k_t = k + t * kv_dim;
        float score = 0.0f;
        for (int i = 0; i < head_size; i++) {
            score += q[i] * k_t[i];
        }
        att[t] = score * scale;
    }
}
