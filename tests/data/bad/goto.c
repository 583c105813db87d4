/* Bad input: an unsupported construct (goto) in an otherwise ordinary kernel. */
void scale(int n, float alpha, const float *x, float *y)
{
    int i = 0;
loop:
    if (i >= n)
        goto done;
    y[i] = alpha * x[i];
    i++;
    goto loop;
done:
    return;
}
