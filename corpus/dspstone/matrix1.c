/* tensorlift-expect
{"function": "matrix1", "plain": true,
 "program": "C(i,k) = A(i,f) * B(k,f)",
 "params": [
   {"name": "A", "kind": "array", "dtype": "int", "access": "read", "shape": ["X", "Y"]},
   {"name": "B", "kind": "array", "dtype": "int", "access": "read", "shape": ["Z", "Y"]},
   {"name": "C", "kind": "array", "dtype": "int", "access": "write", "shape": ["X", "Z"]},
   {"name": "X", "kind": "scalar", "dtype": "int", "role": "dimension"},
   {"name": "Y", "kind": "scalar", "dtype": "int", "role": "dimension"},
   {"name": "Z", "kind": "scalar", "dtype": "int", "role": "dimension"}],
 "returns": null, "tied_sizes": []}
*/
/* DSPstone matrix1 style: pointers reset inside the loops; B is stored as Z rows of Y. */
void matrix1(int *A, int *B, int *C, int X, int Y, int Z)
{
    register int *p_a, *p_b, *p_c = &C[0];
    int i, k, f;

    for (i = 0; i < X; i++) {
        for (k = 0; k < Z; k++) {
            p_a = &A[i * Y];
            p_b = &B[k * Y];
            *p_c = 0;
            for (f = 0; f < Y; f++)
                *p_c += *p_a++ * *p_b++;
            p_c++;
        }
    }
}
