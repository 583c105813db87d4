#ifndef BLEND_H
#define BLEND_H
float mix(float a, float b, float t);
float clamp01(float x);
#endif
