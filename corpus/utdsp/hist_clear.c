/* tensorlift-expect
{"function": "hist_clear", "plain": true,
 "program": "hist(i) = 0",
 "params": [
   {"name": "hist", "kind": "array", "dtype": "int", "access": "write", "shape": ["nbins"]},
   {"name": "nbins", "kind": "scalar", "dtype": "int", "role": "dimension"}],
 "returns": null, "tied_sizes": []}
*/
/* First phase of UTDSP histogram equalisation: clear the histogram. */
void hist_clear(int *hist, int nbins)
{
    int i;
    for (i = 0; i < nbins; i++)
        hist[i] = 0;
}
