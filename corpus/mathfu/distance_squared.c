static float square(float x)
{
    return x * x;
}

/* (a - b).LengthSquared() */
float distance_squared(const float *a, const float *b, int d)
{
    float r = 0.0f;
    for (int i = 0; i < d; ++i)
        r += square(a[i] - b[i]);
    return r;
}
