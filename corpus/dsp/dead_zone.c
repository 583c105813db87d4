/* Dead zone: small samples are silenced, the others pass unchanged. */
void dead_zone(int n, const float *x, float t, float *y)
{
    for (int i = 0; i < n; i++)
        y[i] = (x[i] > -t && x[i] < t) ? 0.0f : x[i];
}
