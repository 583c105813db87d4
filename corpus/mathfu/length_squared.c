/* mathfu Vector<T, d>::LengthSquared, with the element type behind a typedef. */
typedef float real_t;

real_t length_squared(const real_t *v, int dim)
{
    real_t result = 0;
    for (int i = 0; i < dim; ++i) result += v[i] * v[i];
    return result;
}
