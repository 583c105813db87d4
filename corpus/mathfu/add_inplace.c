/* Vector<int, d>::operator+=(const Vector &v) */
void add_inplace(int *a, const int *b, int d)
{
    for (int i = 0; i < d; ++i) a[i] += b[i];
}
