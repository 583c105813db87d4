#include <stdio.h>

double sum_of_squares(int n, const double *a)
{
    double acc = 0;
    for (int i = 0; i < n; ++i)
        acc = acc + a[i] * a[i];
    return acc;
}
