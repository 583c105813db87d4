/* tensorlift-expect
{"function": "l2_cpu", "plain": false,
 "program": "error(i) = (truth(i) - pred(i)) * (truth(i) - pred(i)); delta(i) = truth(i) - pred(i)",
 "params": [
   {"name": "n", "kind": "scalar", "dtype": "int", "role": "dimension"},
   {"name": "pred", "kind": "array", "dtype": "float", "access": "read", "shape": ["n"]},
   {"name": "truth", "kind": "array", "dtype": "float", "access": "read", "shape": ["n"]},
   {"name": "delta", "kind": "array", "dtype": "float", "access": "write", "shape": ["n"]},
   {"name": "error", "kind": "array", "dtype": "float", "access": "write", "shape": ["n"]}],
 "returns": null, "tied_sizes": []}
*/
/* L2 loss layer: two outputs (error and gradient), so two statements. */
void l2_cpu(int n, float *pred, float *truth, float *delta, float *error)
{
    int i;
    for(i = 0; i < n; ++i){
        float diff = truth[i] - pred[i];
        error[i] = diff * diff;
        delta[i] = diff;
    }
}
