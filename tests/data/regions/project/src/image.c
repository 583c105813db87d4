/* Kernels that call the helpers of another file of the project. */
#include <stdio.h>
#include "blend.h"

void crossfade(int n, const float *a, const float *b, float t, float *out) {
    for (int i = 0; i < n; i++) {
        out[i] = mix(a[i], b[i], t);
    }
}

void fade_frames(int frames, int w, int h, const float *src, const float *dst, float *out) {
    for (int f = 0; f < frames; f++) {
        float t = (float)f / (float)frames;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                out[(f * h + y) * w + x] = mix(src[y * w + x], dst[y * w + x], t);
            }
        }
        printf("frame %d done\n", f);
    }
}
