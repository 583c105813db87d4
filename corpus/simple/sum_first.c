/* Sum with the accumulator initialised to the first element. */
int sum_first(const int *arr, int len)
{
    int s = arr[0];
    int i;
    for (i = 1; i < len; i++)
        s += arr[i];
    return s;
}
