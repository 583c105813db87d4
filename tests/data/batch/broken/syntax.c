/* deliberately broken: a missing semicolon and brace */
void oops(int *a, int n) {
    for (int i = 0; i < n; i++)
        a[i] = 0
