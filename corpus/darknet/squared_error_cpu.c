/* tensorlift-expect
{"function": "squared_error_cpu", "plain": true,
 "program": "error(i) = (truth(i) - pred(i)) * (truth(i) - pred(i))",
 "params": [
   {"name": "n", "kind": "scalar", "dtype": "int", "role": "dimension"},
   {"name": "pred", "kind": "array", "dtype": "float", "access": "read", "shape": ["n"]},
   {"name": "truth", "kind": "array", "dtype": "float", "access": "read", "shape": ["n"]},
   {"name": "error", "kind": "array", "dtype": "float", "access": "write", "shape": ["n"]}],
 "returns": null, "tied_sizes": []}
*/
void squared_error_cpu(int n, float *pred, float *truth, float *error)
{
    int i;
    for(i = 0; i < n; ++i){
        error[i] = (truth[i]-pred[i])*(truth[i]-pred[i]);
    }
}
