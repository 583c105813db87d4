void local_scalar(int n, float alpha, const float *x, float *y)
{
    float two_alpha = 2.0f * alpha;   /* hoisted out of the loop */
    for (int i = 0; i < n; i++)
        y[i] = two_alpha * x[i] + y[i];
}
