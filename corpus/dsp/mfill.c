/* tensorlift-expect
{"function": "mfill", "plain": true,
 "program": "A(i,j) = v",
 "params": [
   {"name": "m", "kind": "scalar", "dtype": "int", "role": "dimension"},
   {"name": "n", "kind": "scalar", "dtype": "int", "role": "dimension"},
   {"name": "A", "kind": "array", "dtype": "float", "access": "write", "shape": ["m", "n"]},
   {"name": "v", "kind": "scalar", "dtype": "float", "role": "value"}],
 "returns": null, "tied_sizes": []}
*/
void mfill(int m, int n, float *A, float v)
{
    for (int i = 0; i < m; i++) {
        for (int j = 0; j < n; j++) {
            A[i * n + j] = v;
        }
    }
}
