/* tensorlift-expect
{"function": "kernel_bicg", "plain": false,
 "program": "s(j) = r(i) * A(i,j); q(i) = A(i,j) * p(j)",
 "params": [
   {"name": "m", "kind": "scalar", "dtype": "int", "role": "dimension"},
   {"name": "n", "kind": "scalar", "dtype": "int", "role": "dimension"},
   {"name": "A", "kind": "array", "dtype": "double", "access": "read", "shape": ["n", "m"]},
   {"name": "s", "kind": "array", "dtype": "double", "access": "write", "shape": ["m"]},
   {"name": "q", "kind": "array", "dtype": "double", "access": "write", "shape": ["n"]},
   {"name": "p", "kind": "array", "dtype": "double", "access": "read", "shape": ["m"]},
   {"name": "r", "kind": "array", "dtype": "double", "access": "read", "shape": ["n"]}],
 "returns": null, "tied_sizes": []}
*/
/* PolyBench bicg (BiCG sub-kernel): s = A^T r and q = A p in one sweep. */
#define DATA_TYPE double

void kernel_bicg(int m, int n, DATA_TYPE A[n][m], DATA_TYPE s[m],
                 DATA_TYPE q[n], DATA_TYPE p[m], DATA_TYPE r[n])
{
  int i, j;

  for (i = 0; i < m; i++)
    s[i] = 0;
  for (i = 0; i < n; i++) {
    q[i] = 0.0;
    for (j = 0; j < m; j++) {
      s[j] = s[j] + r[i] * A[i][j];
      q[i] = q[i] + A[i][j] * p[j];
    }
  }
}
