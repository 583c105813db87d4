/* tensorlift-expect
{"function": "fill_cpu", "plain": true,
 "program": "X(i) = ALPHA",
 "params": [
   {"name": "N", "kind": "scalar", "dtype": "int", "role": "dimension"},
   {"name": "ALPHA", "kind": "scalar", "dtype": "float", "role": "value"},
   {"name": "X", "kind": "array", "dtype": "float", "access": "write", "shape": ["N"]}],
 "returns": null, "tied_sizes": []}
*/
void fill_cpu(int N, float ALPHA, float *X)
{
    int i;
    for(i = 0; i < N; ++i) X[i] = ALPHA;
}
