/* Matrix functions over a struct passed by pointer, 4-way unrolled pointer walks. */
#include "dsplib.h"

dsp_status mat_add_f32(const mat_f32 *pSrcA, const mat_f32 *pSrcB, mat_f32 *pDst)
{
    float32_t *pInA = pSrcA->pData, *pInB = pSrcB->pData, *pOut = pDst->pData;
    uint32_t numSamples, blkCnt;
    numSamples = (uint32_t) pSrcA->numRows * pSrcA->numCols;
    blkCnt = numSamples >> 2U;
    while (blkCnt > 0U) {
        *pOut++ = (*pInA++) + (*pInB++);
        *pOut++ = (*pInA++) + (*pInB++);
        *pOut++ = (*pInA++) + (*pInB++);
        *pOut++ = (*pInA++) + (*pInB++);
        blkCnt--;
    }
    blkCnt = numSamples % 0x4U;
    while (blkCnt > 0U) {
        *pOut++ = (*pInA++) + (*pInB++);
        blkCnt--;
    }
    return DSP_SUCCESS;
}

dsp_status mat_vec_mult_f32(const mat_f32 *pSrcMat, const float32_t *pVec, float32_t *pDst)
{
    uint32_t numRows = pSrcMat->numRows, numCols = pSrcMat->numCols, i, j;
    const float32_t *pSrcA = pSrcMat->pData;
    for (i = 0; i < numRows; i++) {
        const float32_t *pRow = pSrcA + i * numCols;      /* a row pointer */
        float32_t sum = 0.0f;
        for (j = 0; j < numCols; j++)
            sum += pRow[j] * pVec[j];
        pDst[i] = sum;
    }
    return DSP_SUCCESS;
}

dsp_status mat_cholesky_f32(const mat_f32 *pSrc, mat_f32 *pDst)
{
    int i, j, k, n = pSrc->numRows;
    float32_t *pA = pSrc->pData, *pG = pDst->pData;
    for (i = 0; i < n; i++) {
        for (j = i; j < n; j++) {
            pG[j * n + i] = pA[j * n + i];
            for (k = 0; k < i; k++)
                pG[j * n + i] = pG[j * n + i] - pG[i * n + k] * pG[j * n + k];
        }
        if (pG[i * n + i] <= 0.0f)
            return DSP_SINGULAR;
        for (j = i; j < n; j++)
            pG[j * n + i] = pG[j * n + i] / sqrtf(pG[i * n + i]);
    }
    return DSP_SUCCESS;
}
