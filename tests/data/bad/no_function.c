/* Bad input: declarations only, no function to lift. */
#define MAX_DIM 16

typedef struct {
    int rows;
    int cols;
    float vals[MAX_DIM][MAX_DIM];
} matrix_t;

struct vector {
    int len;
    float *vals;
};
