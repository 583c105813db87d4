/* The tensor struct that TACO-generated code takes, as in TACO's own header. */
#ifndef TACO_TENSOR_T_DEFINED
#define TACO_TENSOR_T_DEFINED

#include <stdint.h>

/* Generated code carries OpenMP pragmas; built without -fopenmp they are ignored. */
#pragma GCC diagnostic ignored "-Wunknown-pragmas"

typedef enum { taco_mode_dense, taco_mode_sparse } taco_mode_t;

typedef struct {
  int32_t      order;         /* tensor order (number of modes) */
  int32_t*     dimensions;    /* tensor dimensions */
  int32_t      csize;         /* component size */
  int32_t*     mode_ordering; /* mode storage ordering */
  taco_mode_t* mode_types;    /* mode storage types */
  uint8_t***   indices;       /* tensor index data (per mode) */
  uint8_t*     vals;          /* tensor values */
  int32_t      vals_size;     /* values array size */
} taco_tensor_t;

#endif
