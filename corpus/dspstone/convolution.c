/* tensorlift-expect
{"function": "convolution", "plain": false,
 "program": "convolution = h(i) * x(n-1-i)",
 "params": [
   {"name": "x", "kind": "array", "dtype": "int", "access": "read", "shape": ["n"]},
   {"name": "h", "kind": "array", "dtype": "int", "access": "read", "shape": ["n"]},
   {"name": "n", "kind": "scalar", "dtype": "int", "role": "dimension"}],
 "returns": {"dtype": "int"}, "tied_sizes": []}
*/
/* Convolution sample: the signal pointer walks backwards (reversed index). */
int convolution(const int *x, const int *h, int n)
{
    register const int *p_x = &x[n - 1];
    register const int *p_h = h;
    register int y = 0;

    while (n-- > 0)
        y += *p_h++ * *p_x--;
    return y;
}
