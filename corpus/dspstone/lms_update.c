/* Coefficient update of an LMS filter, counting the taps down. */
void lms_update(float *h, const float *x, float mu_err, int ntaps)
{
    register float *p_h = h;
    register const float *p_x = x;

    while (ntaps-- > 0)
        *p_h++ += mu_err * *p_x++;
}
