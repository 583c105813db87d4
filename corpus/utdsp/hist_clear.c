/* First phase of UTDSP histogram equalisation: clear the histogram. */
void hist_clear(int *hist, int nbins)
{
    int i;
    for (i = 0; i < nbins; i++)
        hist[i] = 0;
}
