/* A file whose one function takes no arrays. */
int add(int b, int c) { return b + c; }
