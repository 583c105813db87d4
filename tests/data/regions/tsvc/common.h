/* Loop-benchmark style: the arrays are globals declared with their sizes here and defined
 * in another file of the suite; every kernel sits in a timing function. */
#ifndef COMMON_H
#define COMMON_H

#include <sys/time.h>

#define LEN_1D 32000
#define LEN_2D 256

typedef float real_t;

extern real_t a[LEN_1D], b[LEN_1D], c[LEN_1D], d[LEN_1D], e[LEN_1D];
extern real_t aa[LEN_2D][LEN_2D], bb[LEN_2D][LEN_2D], cc[LEN_2D][LEN_2D];
extern int iterations;

struct args_t {
    struct timeval t1;
    struct timeval t2;
    void *arg_info;
};

void initialise_arrays(const char *name);
real_t calc_checksum(const char *name);
int dummy(real_t[LEN_1D], real_t[LEN_1D], real_t[LEN_1D], real_t[LEN_1D], real_t[LEN_1D],
          real_t[LEN_2D][LEN_2D], real_t[LEN_2D][LEN_2D], real_t[LEN_2D][LEN_2D], real_t);

#endif
