/* tensorlift-expect
{"function": "attention_mix", "plain": true,
 "program": "xb(i) = att(t) * v(t,i)",
 "params": [
   {"name": "xb", "kind": "array", "dtype": "float", "access": "write", "shape": ["head_size"]},
   {"name": "att", "kind": "array", "dtype": "float", "access": "read", "shape": ["n_pos"]},
   {"name": "v", "kind": "array", "dtype": "float", "access": "read", "shape": ["n_pos", "head_size"]},
   {"name": "n_pos", "kind": "scalar", "dtype": "int", "role": "dimension"},
   {"name": "head_size", "kind": "scalar", "dtype": "int", "role": "dimension"},
   {"name": "kv_dim", "kind": "scalar", "dtype": "int", "role": "stride"}],
 "returns": null, "tied_sizes": []}
*/
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
