/* Fill a buffer of 16-bit samples with a constant. */
void vfill(short *dst, short value, int count)
{
    int i;
    for (i = 0; i < count; i++)
        dst[i] = value;
}
