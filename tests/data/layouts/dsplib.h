/* A DSP-style library's types: a matrix is its sizes and a data pointer in one struct. */
#ifndef DSPLIB_H
#define DSPLIB_H
#include <stdint.h>
#include <math.h>
typedef float float32_t;
typedef enum { DSP_SUCCESS = 0, DSP_SIZE_MISMATCH = -3, DSP_SINGULAR = -5 } dsp_status;
typedef struct {
    uint16_t numRows;
    uint16_t numCols;
    float32_t *pData;
} mat_f32;
#endif
