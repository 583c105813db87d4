/* Helpers of the project, built with their own flags (BLEND_BIAS comes from the build). */
#include "blend.h"

float clamp01(float x) {
    return x < 0.0f ? 0.0f : x > 1.0f ? 1.0f : x;
}

float mix(float a, float b, float t) {
    return a + (b - a) * clamp01(t + BLEND_BIAS);
}
