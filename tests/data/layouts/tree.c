/* Nodes of another struct type than the root's, reached through a local alias each;
   a function that only frees a struct's rows, and one whose struct argument goes unused. */
#include <stdlib.h>
typedef struct leaf { int n; float *v; } leaf;
typedef struct tree { int k; leaf **kids; } tree;
typedef struct { int x, y; double **m; } matrix;

void leafsum(tree *t, float *out)
{
    leaf *a = t->kids[0], *b = t->kids[1];
    for (int i = 0; i < a->n; i++)
        out[i] = a->v[i] + b->v[i];
}

void freem(matrix mat)
{
    for (int i = 0; i < mat.x; i++)
        free(mat.m[i]);
    free(mat.m);
}

int unused(matrix mat, int n)
{
    return n + 1;
}
