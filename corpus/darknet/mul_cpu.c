/* tensorlift-expect
{"function": "mul_cpu", "plain": true,
 "program": "Y(i) = Y(i) * X(i)",
 "params": [
   {"name": "N", "kind": "scalar", "dtype": "int", "role": "dimension"},
   {"name": "X", "kind": "array", "dtype": "float", "access": "read", "shape": ["N"]},
   {"name": "Y", "kind": "array", "dtype": "float", "access": "readwrite", "shape": ["N"]}],
 "returns": null, "tied_sizes": []}
*/
void mul_cpu(int N, float *X, float *Y)
{
    int i;
    for(i = 0; i < N; ++i) Y[i] *= X[i];
}
