/* tensorlift-expect
{"function": "scal_cpu", "plain": true,
 "program": "X(i) = ALPHA * X(i)",
 "params": [
   {"name": "N", "kind": "scalar", "dtype": "int", "role": "dimension"},
   {"name": "ALPHA", "kind": "scalar", "dtype": "float", "role": "value"},
   {"name": "X", "kind": "array", "dtype": "float", "access": "readwrite", "shape": ["N"]}],
 "returns": null, "tied_sizes": []}
*/
void scal_cpu(int N, float ALPHA, float *X)
{
    int i;
    for(i = 0; i < N; ++i) X[i] *= ALPHA;
}
