#include <stdint.h>
typedef struct { int32_t order; int32_t* dimensions; int32_t csize; int32_t* mode_ordering; int32_t* mode_types; uint8_t*** indices; uint8_t* vals; int32_t vals_size; } taco_tensor_t;
int compute(taco_tensor_t *A, taco_tensor_t *B, taco_tensor_t *C) {
  int A1_dimension = (int)(A->dimensions[0]);
  int A2_dimension = (int)(A->dimensions[1]);
  double* restrict A_vals = (double*)(A->vals);
  int B1_dimension = (int)(B->dimensions[0]);
  int B2_dimension = (int)(B->dimensions[1]);
  double* restrict B_vals = (double*)(B->vals);
  int C1_dimension = (int)(C->dimensions[0]);
  int C2_dimension = (int)(C->dimensions[1]);
  double* restrict C_vals = (double*)(C->vals);
  #pragma omp parallel for schedule(static)
  for (int32_t pA = 0; pA < (A1_dimension * A2_dimension); pA++) { A_vals[pA] = 0.0; }
  #pragma omp parallel for schedule(runtime)
  for (int32_t i = 0; i < B1_dimension; i++) {
    for (int32_t k = 0; k < C1_dimension; k++) {
      int32_t kB = i * B2_dimension + k;
      for (int32_t j = 0; j < C2_dimension; j++) {
        int32_t jA = i * A2_dimension + j;
        int32_t jC = k * C2_dimension + j;
        A_vals[jA] = A_vals[jA] + B_vals[kB] * C_vals[jC];
      }
    }
  }
  return 0;
}
