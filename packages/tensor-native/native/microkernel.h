// One register tile: C[MR, 2·LANES] += A-panel · B-panel over kc steps, as a template included once per
// element type and instruction set. Define before including: T (element), V (a 32-byte vector of T),
// LANES (elements per V), NAME (function name), ATTR (target attribute or nothing).
//
// Summation order, the contract every backend keeps: each accumulator starts at +0, adds the rounded
// product a·b for p = 0 … kc−1 in order (a multiply, then an add: never fused, hence -ffp-contract=off),
// and is then added to C. The caller zeroes C and passes 256-deep k-blocks in order.

ATTR static void NAME(int kc, const T *restrict a, const T *restrict b, T *restrict c, long ldc, int mr, int nr) {
  V c00 = {0}, c01 = {0}, c10 = {0}, c11 = {0}, c20 = {0}, c21 = {0};
  V c30 = {0}, c31 = {0}, c40 = {0}, c41 = {0}, c50 = {0}, c51 = {0};
  for (int p = 0; p < kc; p++) {
    const V b0 = *(const V *)b;
    const V b1 = *(const V *)(b + LANES);
    c00 += a[0] * b0;
    c01 += a[0] * b1;
    c10 += a[1] * b0;
    c11 += a[1] * b1;
    c20 += a[2] * b0;
    c21 += a[2] * b1;
    c30 += a[3] * b0;
    c31 += a[3] * b1;
    c40 += a[4] * b0;
    c41 += a[4] * b1;
    c50 += a[5] * b0;
    c51 += a[5] * b1;
    a += MR;
    b += 2 * LANES;
  }
  if (mr == MR && nr == 2 * LANES) {
    typedef T U __attribute__((vector_size(sizeof(V)), aligned(sizeof(T))));
#define ROW(r, x0, x1)                   \
  do {                                   \
    U *row = (U *)(c + (r) * ldc);       \
    row[0] += x0;                        \
    row[1] += x1;                        \
  } while (0)
    ROW(0, c00, c01);
    ROW(1, c10, c11);
    ROW(2, c20, c21);
    ROW(3, c30, c31);
    ROW(4, c40, c41);
    ROW(5, c50, c51);
#undef ROW
    return;
  }
  V tile[MR][2] = {{c00, c01}, {c10, c11}, {c20, c21}, {c30, c31}, {c40, c41}, {c50, c51}};
  for (int r = 0; r < mr; r++) {
    const T *sums = (const T *)tile[r];
    for (int j = 0; j < nr; j++) c[r * ldc + j] += sums[j];
  }
}
