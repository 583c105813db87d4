void squared_error_cpu(int n, float *pred, float *truth, float *error)
{
    int i;
    for(i = 0; i < n; ++i){
        error[i] = (truth[i]-pred[i])*(truth[i]-pred[i]);
    }
}
