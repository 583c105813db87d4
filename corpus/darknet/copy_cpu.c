/* tensorlift-expect
{"function": "copy_cpu", "plain": true,
 "program": "Y(i) = X(i)",
 "params": [
   {"name": "N", "kind": "scalar", "dtype": "int", "role": "dimension"},
   {"name": "X", "kind": "array", "dtype": "float", "access": "read", "shape": ["N"]},
   {"name": "Y", "kind": "array", "dtype": "float", "access": "write", "shape": ["N"]}],
 "returns": null, "tied_sizes": []}
*/
void copy_cpu(int N, float *X, float *Y)
{
    int i;
    for(i = 0; i < N; ++i) Y[i] = X[i];
}
