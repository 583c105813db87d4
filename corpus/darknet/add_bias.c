/* tensorlift-expect
{"function": "add_bias", "plain": true,
 "program": "output(b,i,j) += biases(i)",
 "params": [
   {"name": "output", "kind": "array", "dtype": "float", "access": "readwrite", "shape": ["batch", "n", "size"]},
   {"name": "biases", "kind": "array", "dtype": "float", "access": "read", "shape": ["n"]},
   {"name": "batch", "kind": "scalar", "dtype": "int", "role": "dimension"},
   {"name": "n", "kind": "scalar", "dtype": "int", "role": "dimension"},
   {"name": "size", "kind": "scalar", "dtype": "int", "role": "dimension"}],
 "returns": null, "tied_sizes": []}
*/
/* Add one bias per channel to every spatial position of every image in the batch. */
void add_bias(float *output, float *biases, int batch, int n, int size)
{
    int i,j,b;
    for(b = 0; b < batch; ++b){
        for(i = 0; i < n; ++i){
            for(j = 0; j < size; ++j){
                output[(b*n + i)*size + j] += biases[i];
            }
        }
    }
}
