/* Complex vectors stored interleaved: real part at 2*i, imaginary part at 2*i+1. */
#include "dsplib.h"

void cmplx_mag_f32(const float32_t *pSrc, float32_t *pDst, uint32_t numSamples)
{
    float32_t real, imag;
    while (numSamples > 0U) {
        real = *pSrc++;
        imag = *pSrc++;
        *pDst++ = sqrtf((real * real) + (imag * imag));
        numSamples--;
    }
}

void cmplx_mult_cmplx_f32(const float32_t *pSrcA, const float32_t *pSrcB, float32_t *pDst, uint32_t numSamples)
{
    float32_t a, b, c, d;
    while (numSamples > 0U) {
        a = *pSrcA++; b = *pSrcA++;
        c = *pSrcB++; d = *pSrcB++;
        *pDst++ = (a * c) - (b * d);
        *pDst++ = (a * d) + (b * c);
        numSamples--;
    }
}

void cmplx_dot_prod_f32(const float32_t *pSrcA, const float32_t *pSrcB, uint32_t numSamples,
                        float32_t *realResult, float32_t *imagResult)
{
    float32_t real_sum = 0.0f, imag_sum = 0.0f;
    for (uint32_t i = 0; i < numSamples; i++) {
        real_sum += pSrcA[2 * i] * pSrcB[2 * i];
        imag_sum += pSrcA[2 * i] * pSrcB[2 * i + 1];
        real_sum -= pSrcA[2 * i + 1] * pSrcB[2 * i + 1];
        imag_sum += pSrcA[2 * i + 1] * pSrcB[2 * i];
    }
    *realResult = real_sum;
    *imagResult = imag_sum;
}
