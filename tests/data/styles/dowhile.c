long sumsq(const long *v, int n) { long s = 0; const long *p = v; const long *end = v + n; do { s += *p * *p; p++; } while (p < end); return s; }
