/* tensorlift-expect
{"function": "distance_squared", "plain": true,
 "program": "distance_squared = (a(i) - b(i)) * (a(i) - b(i))",
 "params": [
   {"name": "a", "kind": "array", "dtype": "float", "access": "read", "shape": ["d"]},
   {"name": "b", "kind": "array", "dtype": "float", "access": "read", "shape": ["d"]},
   {"name": "d", "kind": "scalar", "dtype": "int", "role": "dimension"}],
 "returns": {"dtype": "float"}, "tied_sizes": []}
*/
static float square(float x)
{
    return x * x;
}

/* (a - b).LengthSquared() */
float distance_squared(const float *a, const float *b, int d)
{
    float r = 0.0f;
    for (int i = 0; i < d; ++i)
        r += square(a[i] - b[i]);
    return r;
}
