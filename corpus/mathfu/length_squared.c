/* tensorlift-expect
{"function": "length_squared", "plain": true,
 "program": "length_squared = v(i) * v(i)",
 "params": [
   {"name": "v", "kind": "array", "dtype": "float", "access": "read", "shape": ["dim"]},
   {"name": "dim", "kind": "scalar", "dtype": "int", "role": "dimension"}],
 "returns": {"dtype": "float"}, "tied_sizes": []}
*/
/* mathfu Vector<T, d>::LengthSquared, with the element type behind a typedef. */
typedef float real_t;

real_t length_squared(const real_t *v, int dim)
{
    real_t result = 0;
    for (int i = 0; i < dim; ++i) result += v[i] * v[i];
    return result;
}
