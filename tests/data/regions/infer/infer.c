/* A small decoder-only transformer's inference, in one file: the weights and the
 * activations live in structs, the sizes in a Config, and the forward pass holds its
 * elementwise work and its attention as inline loops between calls to the helpers below. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    int dim;          /* width of the residual stream */
    int hidden_dim;   /* width of the feed-forward layer */
    int n_layers;
    int n_heads;
    int n_kv_heads;   /* fewer than n_heads: heads share keys and values */
    int vocab_size;
    int seq_len;
} Config;

typedef struct {
    float *token_embedding_table;   /* (vocab_size, dim) */
    float *rms_att_weight;          /* (layer, dim) */
    float *rms_ffn_weight;          /* (layer, dim) */
    float *wq;                      /* (layer, dim, dim) */
    float *wk;                      /* (layer, kv_dim, dim) */
    float *wv;                      /* (layer, kv_dim, dim) */
    float *wo;                      /* (layer, dim, dim) */
    float *w1;                      /* (layer, hidden_dim, dim) */
    float *w2;                      /* (layer, dim, hidden_dim) */
    float *w3;                      /* (layer, hidden_dim, dim) */
    float *rms_final_weight;        /* (dim) */
    float *wcls;                    /* (vocab_size, dim) */
} Weights;

typedef struct {
    float *x;        /* activation at the current time step (dim) */
    float *xb;       /* same, inside a residual branch (dim) */
    float *xb2;      /* another buffer for convenience (dim) */
    float *hb;       /* buffer for the hidden dimension of the ffn (hidden_dim) */
    float *hb2;      /* (hidden_dim) */
    float *q;        /* query (dim) */
    float *k;        /* key (kv_dim), points into the cache */
    float *v;        /* value (kv_dim), points into the cache */
    float *att;      /* scores (n_heads, seq_len) */
    float *logits;   /* (vocab_size) */
    float *key_cache;    /* (layer, seq_len, kv_dim) */
    float *value_cache;  /* (layer, seq_len, kv_dim) */
} RunState;

void rmsnorm(float *o, float *x, float *weight, int size) {
    float ss = 0.0f;
    for (int j = 0; j < size; j++) {
        ss += x[j] * x[j];
    }
    ss /= size;
    ss += 1e-5f;
    ss = 1.0f / sqrtf(ss);
    for (int j = 0; j < size; j++) {
        o[j] = weight[j] * (ss * x[j]);
    }
}

void softmax(float *x, int size) {
    float max_val = x[0];
    for (int i = 1; i < size; i++) {
        if (x[i] > max_val) {
            max_val = x[i];
        }
    }
    float sum = 0.0f;
    for (int i = 0; i < size; i++) {
        x[i] = expf(x[i] - max_val);
        sum += x[i];
    }
    for (int i = 0; i < size; i++) {
        x[i] /= sum;
    }
}

void matmul(float *xout, float *x, float *w, int n, int d) {
    /* W (d,n) @ x (n,) -> xout (d,) */
    for (int i = 0; i < d; i++) {
        float val = 0.0f;
        for (int j = 0; j < n; j++) {
            val += w[i * n + j] * x[j];
        }
        xout[i] = val;
    }
}

float *forward(Config *p, Weights *w, RunState *s, int token, int pos) {
    float *x = s->x;
    int dim = p->dim;
    int kv_dim = (p->dim * p->n_kv_heads) / p->n_heads;
    int kv_mul = p->n_heads / p->n_kv_heads;
    int hidden_dim = p->hidden_dim;
    int head_size = dim / p->n_heads;

    float *content_row = w->token_embedding_table + token * dim;
    memcpy(x, content_row, dim * sizeof(*x));

    for (int l = 0; l < p->n_layers; l++) {
        rmsnorm(s->xb, x, w->rms_att_weight + l * dim, dim);

        int loff = l * p->seq_len * kv_dim;
        s->k = s->key_cache + loff + pos * kv_dim;
        s->v = s->value_cache + loff + pos * kv_dim;

        matmul(s->q, s->xb, w->wq + l * dim * dim, dim, dim);
        matmul(s->k, s->xb, w->wk + l * dim * kv_dim, dim, kv_dim);
        matmul(s->v, s->xb, w->wv + l * dim * kv_dim, dim, kv_dim);

        /* rotate q and k pairwise by an angle that grows with the position */
        for (int i = 0; i < dim; i += 2) {
            int head_dim = i % head_size;
            float freq = 1.0f / powf(10000.0f, head_dim / (float)head_size);
            float val = pos * freq;
            float fcr = cosf(val);
            float fci = sinf(val);
            int rotn = i < kv_dim ? 2 : 1;
            for (int v = 0; v < rotn; v++) {
                float *vec = v == 0 ? s->q : s->k;
                float v0 = vec[i];
                float v1 = vec[i + 1];
                vec[i] = v0 * fcr - v1 * fci;
                vec[i + 1] = v0 * fci + v1 * fcr;
            }
        }

        /* attention, head by head */
        for (int h = 0; h < p->n_heads; h++) {
            float *q = s->q + h * head_size;
            float *att = s->att + h * p->seq_len;
            for (int t = 0; t <= pos; t++) {
                float *k = s->key_cache + loff + t * kv_dim + (h / kv_mul) * head_size;
                float score = 0.0f;
                for (int i = 0; i < head_size; i++) {
                    score += q[i] * k[i];
                }
                score /= sqrtf(head_size);
                att[t] = score;
            }

            softmax(att, pos + 1);

            float *xb = s->xb + h * head_size;
            memset(xb, 0, head_size * sizeof(float));
            for (int t = 0; t <= pos; t++) {
                float *v = s->value_cache + loff + t * kv_dim + (h / kv_mul) * head_size;
                float a = att[t];
                for (int i = 0; i < head_size; i++) {
                    xb[i] += a * v[i];
                }
            }
        }

        matmul(s->xb2, s->xb, w->wo + l * dim * dim, dim, dim);

        /* residual connection */
        for (int i = 0; i < dim; i++) {
            x[i] += s->xb2[i];
        }

        rmsnorm(s->xb, x, w->rms_ffn_weight + l * dim, dim);

        matmul(s->hb, s->xb, w->w1 + l * dim * hidden_dim, dim, hidden_dim);
        matmul(s->hb2, s->xb, w->w3 + l * dim * hidden_dim, dim, hidden_dim);

        /* SwiGLU: silu(w1 x) * (w3 x) */
        for (int i = 0; i < hidden_dim; i++) {
            float val = s->hb[i];
            val *= (1.0f / (1.0f + expf(-val)));
            val *= s->hb2[i];
            s->hb[i] = val;
        }

        matmul(s->xb, s->hb, w->w2 + l * dim * hidden_dim, hidden_dim, dim);

        /* residual connection */
        for (int i = 0; i < dim; i++) {
            x[i] += s->xb[i];
        }
    }

    rmsnorm(x, x, w->rms_final_weight, dim);
    matmul(s->logits, x, w->wcls, p->dim, p->vocab_size);
    return s->logits;
}

int sample_argmax(float *probabilities, int n) {
    int max_i = 0;
    float max_p = probabilities[0];
    for (int i = 1; i < n; i++) {
        if (probabilities[i] > max_p) {
            max_i = i;
            max_p = probabilities[i];
        }
    }
    return max_i;
}

int main(int argc, char **argv) {
    Config c = {8, 16, 2, 2, 1, 10, 4};
    printf("config: dim %d, %d layers\n", c.dim, c.n_layers);
    return 0;
}
