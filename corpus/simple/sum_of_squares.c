/* tensorlift-expect
{"function": "sum_of_squares", "plain": true,
 "program": "sum_of_squares = a(i) * a(i)",
 "params": [
   {"name": "n", "kind": "scalar", "dtype": "int", "role": "dimension"},
   {"name": "a", "kind": "array", "dtype": "double", "access": "read", "shape": ["n"]}],
 "returns": {"dtype": "double"}, "tied_sizes": []}
*/
#include <stdio.h>

double sum_of_squares(int n, const double *a)
{
    double acc = 0;
    for (int i = 0; i < n; ++i)
        acc = acc + a[i] * a[i];
    return acc;
}
