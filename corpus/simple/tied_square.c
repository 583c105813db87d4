/* tensorlift-expect
{"function": "tied_square", "plain": true,
 "program": "c(i,j) = a(i,j) + b(i,j)",
 "params": [
   {"name": "M", "kind": "scalar", "dtype": "int", "role": "dimension"},
   {"name": "N", "kind": "scalar", "dtype": "int", "role": "dimension"},
   {"name": "a", "kind": "array", "dtype": "int", "access": "read", "shape": ["M", "N"]},
   {"name": "b", "kind": "array", "dtype": "int", "access": "read", "shape": ["M", "N"]},
   {"name": "c", "kind": "array", "dtype": "int", "access": "write", "shape": ["M", "N"]}],
 "returns": null, "tied_sizes": [["M", "N"]]}
*/
/* Row length M but columns up to N: only consistent for square matrices (M == N). */
void tied_square(int M, int N, const int *a, const int *b, int *c)
{
    int i, j;
    for (i = 0; i < M; i++)
        for (j = 0; j < N; j++)
            c[i * M + j] = a[i * M + j] + b[i * M + j];
}
