/* Vector<T, d>::operator*=(T s) */
void scale_inplace(float *a, int d, float s)
{
    for (int i = 0; i < d; ++i) a[i] *= s;
}
