/* 4x4 column-major matrix (mathfu layout: element (row i, col j) at m[j*4 + i]) times a vector. */
#define DIM 4

void mat4_mul_vec(const float *m, const float *v, float *out)
{
    int i, j;
    for (i = 0; i < DIM; i++) {
        float s = 0.0f;
        for (j = 0; j < DIM; j++)
            s += m[j * DIM + i] * v[j];
        out[i] = s;
    }
}
