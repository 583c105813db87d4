/* DSPstone-style dot product: register pointers walking both vectors. */
#define STORAGE_CLASS register
#define TYPE int

TYPE dot_product(TYPE *a, TYPE *b, int n)
{
    STORAGE_CLASS TYPE *p_a = a, *p_b = b;
    STORAGE_CLASS TYPE sum = 0;

    while (n--)
        sum += *p_a++ * *p_b++;
    return sum;
}
