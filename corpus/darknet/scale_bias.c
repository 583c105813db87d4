/* tensorlift-expect
{"function": "scale_bias", "plain": true,
 "program": "output(b,i,j) = output(b,i,j) * scales(i)",
 "params": [
   {"name": "output", "kind": "array", "dtype": "float", "access": "readwrite", "shape": ["batch", "n", "size"]},
   {"name": "scales", "kind": "array", "dtype": "float", "access": "read", "shape": ["n"]},
   {"name": "batch", "kind": "scalar", "dtype": "int", "role": "dimension"},
   {"name": "n", "kind": "scalar", "dtype": "int", "role": "dimension"},
   {"name": "size", "kind": "scalar", "dtype": "int", "role": "dimension"}],
 "returns": null, "tied_sizes": []}
*/
void scale_bias(float *output, float *scales, int batch, int n, int size)
{
    int i,j,b;
    for(b = 0; b < batch; ++b){
        for(i = 0; i < n; ++i){
            for(j = 0; j < size; ++j){
                output[j + size*(i + n*b)] *= scales[i];
            }
        }
    }
}
