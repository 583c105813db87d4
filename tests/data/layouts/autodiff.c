/* Autodiff-style ops over node structs: p->child[k], a length helper, an action flag, gradients accumulated into the children. */
#include <stdint.h>
#include <math.h>
#include <string.h>
#ifdef __SSE__
#include <immintrin.h>
#endif

#define AD_MAX_DIM 4
#define AD_SYNC_DIM 4
#define AD_ALLOC 1
#define AD_FORWARD 2
#define AD_BACKWARD 3

typedef struct ad_node_t {
    uint8_t n_d;
    uint8_t flag;
    int32_t op;
    int32_t n_child;
    int32_t d[AD_MAX_DIM];
    float *x;
    float *g;
    struct ad_node_t **child;
} ad_node_t;

static inline int ad_len(const ad_node_t *p)
{
    int n = 1, i;
    for (i = 0; i < p->n_d; ++i) n *= p->d[i];
    return n;
}

void ad_saxpy(int n, float a, const float *x, float *y)
{
    int i;
#ifdef __SSE__
    int n4 = n >> 2 << 2;
    __m128 va = _mm_set1_ps(a);
    for (i = 0; i < n4; i += 4) {
        __m128 vx = _mm_loadu_ps(&x[i]), vy = _mm_loadu_ps(&y[i]);
        _mm_storeu_ps(&y[i], _mm_add_ps(_mm_mul_ps(va, vx), vy));
    }
    for (i = n4; i < n; ++i) y[i] += a * x[i];
#else
    for (i = 0; i < n; ++i) y[i] += a * x[i];
#endif
}

int ad_op_square(ad_node_t *p, int action)
{
    int i, n;
    ad_node_t *q = p->child[0];
    n = ad_len(q);
    if (action == AD_SYNC_DIM) {
        p->n_d = q->n_d;
        memcpy(p->d, q->d, q->n_d * sizeof(int));
    } else if (action == AD_FORWARD) {
        for (i = 0; i < n; ++i) p->x[i] = q->x[i] * q->x[i];
    } else if (action == AD_BACKWARD && q->g) {
        for (i = 0; i < n; ++i) q->g[i] += p->g[i] * (q->x[i] + q->x[i]);
    }
    return 0;
}

int ad_op_exp(ad_node_t *p, int action)
{
    int i, n;
    ad_node_t *q = p->child[0];
    n = ad_len(q);
    if (action == AD_SYNC_DIM) {
        p->n_d = q->n_d;
        memcpy(p->d, q->d, q->n_d * sizeof(int));
    } else if (action == AD_FORWARD) {
        for (i = 0; i < n; ++i) p->x[i] = expf(q->x[i]);
    } else if (action == AD_BACKWARD) {
        for (i = 0; i < n; ++i) q->g[i] += p->g[i] * p->x[i];
    }
    return 0;
}

int ad_op_add(ad_node_t *p, int action)
{
    int i, n0, n1;
    ad_node_t *q[2];
    q[0] = p->child[0], n0 = ad_len(q[0]);
    q[1] = p->child[1], n1 = ad_len(q[1]);
    if (action == AD_SYNC_DIM) {
        if (n0 % n1 != 0) return -1;
        p->n_d = q[0]->n_d;
        memcpy(p->d, q[0]->d, q[0]->n_d * sizeof(int));
    } else if (action == AD_FORWARD) {
        for (i = 0; i < n0; ++i) p->x[i] = q[0]->x[i] + q[1]->x[i];
    } else if (action == AD_BACKWARD) {
        for (i = 0; i < n0; ++i) {
            q[0]->g[i] += p->g[i];
            q[1]->g[i] += p->g[i];
        }
    }
    return 0;
}

int ad_op_mul_scalar(ad_node_t *p, int action)
{
    int n;
    ad_node_t *q = p->child[0];
    n = ad_len(q);
    if (action == AD_FORWARD) {
        memset(p->x, 0, n * sizeof(float));
        ad_saxpy(n, 2.0f, q->x, p->x);
    } else if (action == AD_BACKWARD) {
        ad_saxpy(n, 2.0f, p->g, q->g);
    }
    return 0;
}

int ad_op_reduce_sum(ad_node_t *p, int action)
{
    int i, n;
    ad_node_t *q = p->child[0];
    n = ad_len(q);
    if (action == AD_SYNC_DIM) {
        p->n_d = 0;
    } else if (action == AD_FORWARD) {
        p->x[0] = 0.0f;
        for (i = 0; i < n; ++i) p->x[0] += q->x[i];
    } else if (action == AD_BACKWARD) {
        for (i = 0; i < n; ++i) q->g[i] += p->g[0];
    }
    return 0;
}
