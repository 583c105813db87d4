/* tensorlift-expect
{"function": "weighted_sum_cpu", "plain": true,
 "program": "c(i) = s(i) * a(i) + (1 - s(i)) * b(i)",
 "params": [
   {"name": "a", "kind": "array", "dtype": "float", "access": "read", "shape": ["n"]},
   {"name": "b", "kind": "array", "dtype": "float", "access": "read", "shape": ["n"]},
   {"name": "s", "kind": "array", "dtype": "float", "access": "read", "shape": ["n"]},
   {"name": "n", "kind": "scalar", "dtype": "int", "role": "dimension"},
   {"name": "c", "kind": "array", "dtype": "float", "access": "write", "shape": ["n"]}],
 "returns": null, "tied_sizes": []}
*/
void weighted_sum_cpu(float *a, float *b, float *s, int n, float *c)
{
    int i;
    for(i = 0; i < n; ++i){
        c[i] = s[i]*a[i] + (1-s[i])*b[i];
    }
}
