// One register tile: C[MR, NV·VLANES] += A-panel · B-panel over kc steps, as a template included once per
// element type and instruction set. Define before including: T (element), V (a vector of VLANES T),
// MR (rows), NV (vectors per row), BSTRIDE (elements per p in the B panel: NV·VLANES, or more for a kernel
// that reads only the left part of wider panels), NAME (function name), ATTR (target attribute or nothing),
// and optionally MADD(acc, a, b) (acc + a·b with a a scalar: a fused multiply-add). The loops over rows and
// vectors have constant bounds and are unrolled, so the accumulators live in registers.
//
// Summation order, the contract every backend keeps: each accumulator starts at +0, adds the rounded
// product a·b for p = 0 … kc−1 in order (a multiply, then an add: never fused, hence -ffp-contract=off),
// and is then added to C, which is +0 for the first k-block (first = 1: C is not read, so the caller need
// not zero it, and +0 + sum is what a zeroed C would hold), then 256-deep k-blocks in order. The tile's shape
// changes which products run side by side, never the order of one element's sum. The one exception is
// MADD, which only the float32 AVX2 and AVX-512 kernels define (float32 is not held to the same bits
// across backends): the same order, each step one rounding instead of two, so those two kernels agree
// with each other bit for bit but not with the generic kernel or the wasm one.

ATTR static void NAME(int kc, const T *restrict a, const T *restrict b, T *restrict c, long ldc, int mr, int nr,
                      int first) {
  V acc[MR][NV];
#pragma GCC unroll 16
  for (int r = 0; r < MR; r++) {
#pragma GCC unroll 4
    for (int v = 0; v < NV; v++) acc[r][v] = (V){0};
  }
  for (int p = 0; p < kc; p++) {
    V bv[NV];
#pragma GCC unroll 4
    for (int v = 0; v < NV; v++) bv[v] = *(const V *)(b + v * VLANES);
#pragma GCC unroll 16
    for (int r = 0; r < MR; r++) {
#pragma GCC unroll 4
      for (int v = 0; v < NV; v++) {
#ifdef MADD
        acc[r][v] = MADD(acc[r][v], a[r], bv[v]);
#else
        acc[r][v] += a[r] * bv[v];
#endif
      }
    }
    a += MR;
    b += BSTRIDE;
  }
  if (mr == MR && nr == NV * VLANES) {
    // C rows are not aligned to a vector: store through an element-aligned copy of V.
    typedef T U __attribute__((vector_size(sizeof(V)), aligned(sizeof(T))));
    const V zero = {0};
#pragma GCC unroll 16
    for (int r = 0; r < MR; r++) {
      U *row = (U *)(c + r * ldc);
#pragma GCC unroll 4
      for (int v = 0; v < NV; v++) row[v] = (first ? zero : (V)row[v]) + acc[r][v];
    }
    return;
  }
  for (int r = 0; r < mr; r++) {
    const T *sums = (const T *)acc[r];
    for (int j = 0; j < nr; j++) c[r * ldc + j] = (first ? (T)0 : c[r * ldc + j]) + sums[j];
  }
}
