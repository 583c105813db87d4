/* Timing functions around loop kernels, each repeated `iterations` times with an opaque
 * call in the repetition loop so that the compiler cannot drop the work. */
#include <stdio.h>
#include "common.h"

real_t add_one(struct args_t *func_args)
{
    initialise_arrays(__func__);
    gettimeofday(&func_args->t1, NULL);
    for (int nl = 0; nl < 2 * iterations; nl++) {
        for (int i = 0; i < LEN_1D; i++) {
            a[i] = b[i] + 1;
        }
        dummy(a, b, c, d, e, aa, bb, cc, 0.);
    }
    gettimeofday(&func_args->t2, NULL);
    return calc_checksum(__func__);
}

real_t triad(struct args_t *func_args)
{
    initialise_arrays(__func__);
    gettimeofday(&func_args->t1, NULL);
    for (int nl = 0; nl < iterations; nl++) {
        for (int i = 0; i < LEN_1D; i++) {
            a[i] = b[i] + c[i] * d[i];
        }
        dummy(a, b, c, d, e, aa, bb, cc, 0.);
    }
    gettimeofday(&func_args->t2, NULL);
    return calc_checksum(__func__);
}

real_t sum_reduce(struct args_t *func_args)
{
    initialise_arrays(__func__);
    gettimeofday(&func_args->t1, NULL);
    real_t sum;
    for (int nl = 0; nl < iterations * 10; nl++) {
        sum = (real_t)0.;
        for (int i = 0; i < LEN_1D; i++) {
            sum += a[i];
        }
        dummy(a, b, c, d, e, aa, bb, cc, sum);
    }
    gettimeofday(&func_args->t2, NULL);
    return sum;
}

real_t matvec_rows(struct args_t *func_args)
{
    initialise_arrays(__func__);
    gettimeofday(&func_args->t1, NULL);
    for (int nl = 0; nl < iterations / LEN_2D; nl++) {
        for (int j = 0; j < LEN_2D; j++) {
            for (int i = 0; i < LEN_2D; i++) {
                aa[j][i] = aa[j][i] + bb[j][i] * c[i];
            }
        }
        dummy(a, b, c, d, e, aa, bb, cc, 0.);
    }
    gettimeofday(&func_args->t2, NULL);
    return calc_checksum(__func__);
}

real_t scaled_copy(struct args_t *func_args)
{
    int i;
    real_t s = 2.5f;
    initialise_arrays(__func__);
    gettimeofday(&func_args->t1, NULL);
    for (int nl = 0; nl < iterations; nl++) {
        for (i = 0; i < LEN_1D; i++) {
            e[i] = s * d[i];
        }
        dummy(a, b, c, d, e, aa, bb, cc, 0.);
    }
    gettimeofday(&func_args->t2, NULL);
    return calc_checksum(__func__);
}

int main(int argc, char **argv)
{
    struct args_t args;
    printf("%10.3f\n", (double)add_one(&args));
    printf("%10.3f\n", (double)triad(&args));
    printf("%10.3f\n", (double)sum_reduce(&args));
    printf("%10.3f\n", (double)matvec_rows(&args));
    printf("%10.3f\n", (double)scaled_copy(&args));
    return 0;
}
