/* A size check before a pointer walk, then a plain kernel: the second is lifted whatever
   becomes of the first. */
typedef struct { unsigned short numRows, numCols; float *pData; } mat_f32;

int mat_scale_checked(const mat_f32 *a, float scale, mat_f32 *o)
{
    int status;
    float *pIn = a->pData, *pOut = o->pData;
    unsigned i, n = a->numRows * a->numCols;
    if (a->numRows != o->numRows || a->numCols != o->numCols)
        status = -3;
    else {
        for (i = 0; i < n; i++)
            *pOut++ = scale * *pIn++;
        status = 0;
    }
    return status;
}

void vadd(const float *a, const float *b, float *c, int n)
{
    for (int i = 0; i < n; i++)
        c[i] = a[i] + b[i];
}
