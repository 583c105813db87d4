/* tensorlift-expect
{"function": "vfill", "plain": true,
 "program": "dst(i) = value",
 "params": [
   {"name": "dst", "kind": "array", "dtype": "int", "access": "write", "shape": ["count"]},
   {"name": "value", "kind": "scalar", "dtype": "int", "role": "value"},
   {"name": "count", "kind": "scalar", "dtype": "int", "role": "dimension"}],
 "returns": null, "tied_sizes": []}
*/
/* Fill a buffer of 16-bit samples with a constant. */
void vfill(short *dst, short value, int count)
{
    int i;
    for (i = 0; i < count; i++)
        dst[i] = value;
}
