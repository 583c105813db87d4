/* Statistics of a DSP-style library: unrolled walks, two results through pointers. */
#include "dsplib.h"

void rms_f32(const float32_t *pSrc, uint32_t blockSize, float32_t *pResult)
{
    uint32_t blkCnt = blockSize >> 2U;
    float32_t sum = 0.0f, in;
    while (blkCnt > 0U) {
        in = *pSrc++; sum += in * in;
        in = *pSrc++; sum += in * in;
        in = *pSrc++; sum += in * in;
        in = *pSrc++; sum += in * in;
        blkCnt--;
    }
    blkCnt = blockSize % 0x4U;
    while (blkCnt > 0U) {
        in = *pSrc++; sum += in * in;
        blkCnt--;
    }
    *pResult = sqrtf(sum / (float32_t) blockSize);
}

void var_f32(const float32_t *pSrc, uint32_t blockSize, float32_t *pResult)
{
    float32_t sum = 0.0f, fSum = 0.0f, fMean, fValue;
    const float32_t *pInput = pSrc;
    uint32_t blkCnt = blockSize;
    while (blkCnt > 0U) {
        sum += *pInput++;
        blkCnt--;
    }
    fMean = sum / (float32_t) blockSize;
    pInput = pSrc;
    blkCnt = blockSize;
    while (blkCnt > 0U) {
        fValue = *pInput++ - fMean;
        fSum += fValue * fValue;
        blkCnt--;
    }
    *pResult = fSum / ((float32_t) blockSize - 1.0f);
}

void var_onepass_f32(const float32_t *pSrc, uint32_t blockSize, float32_t *pResult)
{
    float32_t sum = 0.0f, sumSq = 0.0f, mean;
    uint32_t i;
    for (i = 0; i < blockSize; i++) {
        sum += pSrc[i];
        sumSq += pSrc[i] * pSrc[i];
    }
    mean = sum / (float32_t) blockSize;
    *pResult = sumSq / (float32_t) blockSize - mean * mean;
}

void mse_f32(const float32_t *pSrcA, const float32_t *pSrcB, uint32_t blockSize, float32_t *pResult)
{
    uint32_t blkCnt = blockSize >> 2U;
    float32_t inA, inB, sum = 0.0f;
    while (blkCnt > 0U) {
        inA = *pSrcA++; inB = *pSrcB++; inA = inA - inB; sum += inA * inA;
        inA = *pSrcA++; inB = *pSrcB++; inA = inA - inB; sum += inA * inA;
        inA = *pSrcA++; inB = *pSrcB++; inA = inA - inB; sum += inA * inA;
        inA = *pSrcA++; inB = *pSrcB++; inA = inA - inB; sum += inA * inA;
        blkCnt--;
    }
    blkCnt = blockSize & 3;
    while (blkCnt > 0U) {
        inA = *pSrcA++; inB = *pSrcB++; inA = inA - inB; sum += inA * inA;
        blkCnt--;
    }
    *pResult = sum / blockSize;
}

float32_t kullback_leibler_f32(const float32_t *pSrcA, const float32_t *pSrcB, uint32_t blockSize)
{
    float32_t accum = 0.0f;
    for (uint32_t i = 0; i < blockSize; i++)
        accum += pSrcA[i] * logf(pSrcB[i] / pSrcA[i]);
    return -accum;
}

float32_t logsumexp_f32(const float32_t *in, uint32_t blockSize)
{
    const float32_t *pIn = in;
    uint32_t blkCnt = blockSize - 1;
    float32_t maxVal = *pIn++, accum = 0.0f;
    while (blkCnt > 0) {
        float32_t tmp = *pIn++;
        if (tmp > maxVal)
            maxVal = tmp;
        blkCnt--;
    }
    for (blkCnt = 0; blkCnt < blockSize; blkCnt++)
        accum += expf(in[blkCnt] - maxVal);
    return maxVal + logf(accum);
}

void max_f32(const float32_t *pSrc, uint32_t blockSize, float32_t *pResult, uint32_t *pIndex)
{
    float32_t maxVal, out = *pSrc++;
    uint32_t blkCnt = blockSize - 1U, outIndex = 0U;
    while (blkCnt > 0U) {
        maxVal = *pSrc++;
        if (out < maxVal) {
            out = maxVal;
            outIndex = blockSize - blkCnt;
        }
        blkCnt--;
    }
    *pResult = out;
    *pIndex = outIndex;
}
