/* tensorlift-expect
{"function": "mult_add_into_cpu", "plain": true,
 "program": "Z(i) += X(i) * Y(i)",
 "params": [
   {"name": "N", "kind": "scalar", "dtype": "int", "role": "dimension"},
   {"name": "X", "kind": "array", "dtype": "float", "access": "read", "shape": ["N"]},
   {"name": "Y", "kind": "array", "dtype": "float", "access": "read", "shape": ["N"]},
   {"name": "Z", "kind": "array", "dtype": "float", "access": "readwrite", "shape": ["N"]}],
 "returns": null, "tied_sizes": []}
*/
void mult_add_into_cpu(int N, float *X, float *Y, float *Z)
{
    int i;
    for(i = 0; i < N; ++i) Z[i] += X[i]*Y[i];
}
