/* tensorlift-expect
{"function": "matrix2", "plain": true,
 "program": "C(i,k) = A(i,f) * B(f,k)",
 "params": [
   {"name": "A", "kind": "array", "dtype": "float", "access": "read", "shape": ["X", "Y"]},
   {"name": "B", "kind": "array", "dtype": "float", "access": "read", "shape": ["Y", "Z"]},
   {"name": "C", "kind": "array", "dtype": "float", "access": "write", "shape": ["X", "Z"]},
   {"name": "X", "kind": "scalar", "dtype": "int", "role": "dimension"},
   {"name": "Y", "kind": "scalar", "dtype": "int", "role": "dimension"},
   {"name": "Z", "kind": "scalar", "dtype": "int", "role": "dimension"}],
 "returns": null, "tied_sizes": []}
*/
/* Matrix product walking B down a column with a pointer stride of Z. */
void matrix2(float *A, float *B, float *C, int X, int Y, int Z)
{
    register float *p_a, *p_b, *p_c = C;
    register float sum;
    int i, k, f;

    for (i = 0; i < X; i++) {
        for (k = 0; k < Z; k++) {
            p_a = &A[i * Y];
            p_b = &B[k];
            sum = 0;
            for (f = 0; f < Y; f++) {
                sum += *p_a++ * *p_b;
                p_b += Z;
            }
            *p_c++ = sum;
        }
    }
}
