/* tensorlift-expect
{"function": "axpy_cpu", "plain": true,
 "program": "Y(i) += ALPHA * X(i)",
 "params": [
   {"name": "N", "kind": "scalar", "dtype": "int", "role": "dimension"},
   {"name": "ALPHA", "kind": "scalar", "dtype": "float", "role": "value"},
   {"name": "X", "kind": "array", "dtype": "float", "access": "read", "shape": ["N"]},
   {"name": "Y", "kind": "array", "dtype": "float", "access": "readwrite", "shape": ["N"]}],
 "returns": null, "tied_sizes": []}
*/
/* Darknet-style scaled add, unit strides only. */
void axpy_cpu(int N, float ALPHA, float *X, float *Y)
{
    int i;
    for(i = 0; i < N; ++i) Y[i] += ALPHA*X[i];
}
