// Register-blocked micro-kernels: C[2, NR] += Ap[2, kc] · Bp[kc, NR] on packed panels.
// AssemblyScript, compiled to WebAssembly SIMD by scripts/build-wasm.mjs.
//
// Why 2 rows × 4 vectors: measured on Zen 4 under V8 (16 xmm registers, no FMA in baseline SIMD), this
// shape keeps 8 accumulators + 4 B vectors + 2 broadcast A values in registers and reached ~94% of the
// mul+add peak; 4×2, 4×3 and 3×4 vector tiles spilled or scheduled worse and ran 20-50% slower.
//
// Summation order (the contract every kernel of this package keeps, so results are bit-identical to
// matmulBlocked in float64 and independent of tiling and threads): for one output element and one
// k-block, acc starts at +0 and adds a·b for p = 0, 1, ..., kc-1 in order; then C = C + acc.
// WebAssembly has no fused multiply-add in baseline SIMD, so a·b is rounded before the add, as in JS.

/** Packed layouts: Ap holds A[i + r, p] at (p·2 + r); Bp holds B[p, j + q] at (p·NR + q). */
export const MR: i32 = 2;
/** Columns per B panel: 8 float64 or 16 float32, i.e. one 64-byte cache line per p. */
export const NR64: i32 = 8;
export const NR32: i32 = 16;

/** c[r, 0..8] += Σp ap[p, r] · bp[p, 0..8] for r < 2; c rows are `ldc` bytes apart. */
// @ts-ignore: decorator
@inline
export function kernel64(ap: usize, bp: usize, kc: i32, c: usize, ldc: usize): void {
  let c00 = f64x2.splat(0), c01 = f64x2.splat(0), c02 = f64x2.splat(0), c03 = f64x2.splat(0);
  let c10 = f64x2.splat(0), c11 = f64x2.splat(0), c12 = f64x2.splat(0), c13 = f64x2.splat(0);
  // An end pointer instead of a counter keeps the loop test in a register (V8 spilled kc otherwise).
  const end = ap + (<usize>kc << 4);
  while (ap < end) {
    const b0 = v128.load(bp), b1 = v128.load(bp, 16), b2 = v128.load(bp, 32), b3 = v128.load(bp, 48);
    const a0 = v128.load64_splat(ap);
    c00 = f64x2.add(c00, f64x2.mul(a0, b0));
    c01 = f64x2.add(c01, f64x2.mul(a0, b1));
    c02 = f64x2.add(c02, f64x2.mul(a0, b2));
    c03 = f64x2.add(c03, f64x2.mul(a0, b3));
    const a1 = v128.load64_splat(ap, 8);
    c10 = f64x2.add(c10, f64x2.mul(a1, b0));
    c11 = f64x2.add(c11, f64x2.mul(a1, b1));
    c12 = f64x2.add(c12, f64x2.mul(a1, b2));
    c13 = f64x2.add(c13, f64x2.mul(a1, b3));
    ap += 16;
    bp += 64;
  }
  v128.store(c, f64x2.add(v128.load(c), c00));
  v128.store(c, f64x2.add(v128.load(c, 16), c01), 16);
  v128.store(c, f64x2.add(v128.load(c, 32), c02), 32);
  v128.store(c, f64x2.add(v128.load(c, 48), c03), 48);
  c += ldc;
  v128.store(c, f64x2.add(v128.load(c), c10));
  v128.store(c, f64x2.add(v128.load(c, 16), c11), 16);
  v128.store(c, f64x2.add(v128.load(c, 32), c12), 32);
  v128.store(c, f64x2.add(v128.load(c, 48), c13), 48);
}

/** c[r, 0..16] += Σp ap[p, r] · bp[p, 0..16] for r < 2, accumulating in float32. */
// @ts-ignore: decorator
@inline
export function kernel32(ap: usize, bp: usize, kc: i32, c: usize, ldc: usize): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0), c02 = f32x4.splat(0), c03 = f32x4.splat(0);
  let c10 = f32x4.splat(0), c11 = f32x4.splat(0), c12 = f32x4.splat(0), c13 = f32x4.splat(0);
  const end = ap + (<usize>kc << 3);
  while (ap < end) {
    const b0 = v128.load(bp), b1 = v128.load(bp, 16), b2 = v128.load(bp, 32), b3 = v128.load(bp, 48);
    const a0 = v128.load32_splat(ap);
    c00 = f32x4.add(c00, f32x4.mul(a0, b0));
    c01 = f32x4.add(c01, f32x4.mul(a0, b1));
    c02 = f32x4.add(c02, f32x4.mul(a0, b2));
    c03 = f32x4.add(c03, f32x4.mul(a0, b3));
    const a1 = v128.load32_splat(ap, 4);
    c10 = f32x4.add(c10, f32x4.mul(a1, b0));
    c11 = f32x4.add(c11, f32x4.mul(a1, b1));
    c12 = f32x4.add(c12, f32x4.mul(a1, b2));
    c13 = f32x4.add(c13, f32x4.mul(a1, b3));
    ap += 8;
    bp += 64;
  }
  v128.store(c, f32x4.add(v128.load(c), c00));
  v128.store(c, f32x4.add(v128.load(c, 16), c01), 16);
  v128.store(c, f32x4.add(v128.load(c, 32), c02), 32);
  v128.store(c, f32x4.add(v128.load(c, 48), c03), 48);
  c += ldc;
  v128.store(c, f32x4.add(v128.load(c), c10));
  v128.store(c, f32x4.add(v128.load(c, 16), c11), 16);
  v128.store(c, f32x4.add(v128.load(c, 32), c12), 32);
  v128.store(c, f32x4.add(v128.load(c, 48), c13), 48);
}

/**
 * Edge kernel for a last B panel narrower than NR: C[8, 1 vector] += four A panels · one vector
 * column of Bp. Eight rows keep eight accumulators busy where a 2-row tile one vector wide would wait
 * on add latency. Per element it sums in the very order of kernel64/kernel32, so results match theirs.
 * ap points at the first of four consecutive A panels, `panelBytes` apart; bp at the vector's column.
 */
// @ts-ignore: decorator
@inline
export function edgeKernel<T>(ap: usize, panelBytes: usize, bp: usize, kc: i32, c: usize, ldc: usize): void {
  let c0 = v128.splat<T>(0), c1 = v128.splat<T>(0), c2 = v128.splat<T>(0), c3 = v128.splat<T>(0);
  let c4 = v128.splat<T>(0), c5 = v128.splat<T>(0), c6 = v128.splat<T>(0), c7 = v128.splat<T>(0);
  const step = <usize>(MR * sizeof<T>());
  const end = ap + <usize>kc * step;
  let ap1 = ap + panelBytes, ap2 = ap1 + panelBytes, ap3 = ap2 + panelBytes;
  while (ap < end) {
    const b = v128.load(bp);
    if (sizeof<T>() == 8) {
      c0 = f64x2.add(c0, f64x2.mul(v128.load64_splat(ap), b));
      c1 = f64x2.add(c1, f64x2.mul(v128.load64_splat(ap, 8), b));
      c2 = f64x2.add(c2, f64x2.mul(v128.load64_splat(ap1), b));
      c3 = f64x2.add(c3, f64x2.mul(v128.load64_splat(ap1, 8), b));
      c4 = f64x2.add(c4, f64x2.mul(v128.load64_splat(ap2), b));
      c5 = f64x2.add(c5, f64x2.mul(v128.load64_splat(ap2, 8), b));
      c6 = f64x2.add(c6, f64x2.mul(v128.load64_splat(ap3), b));
      c7 = f64x2.add(c7, f64x2.mul(v128.load64_splat(ap3, 8), b));
    } else {
      c0 = f32x4.add(c0, f32x4.mul(v128.load32_splat(ap), b));
      c1 = f32x4.add(c1, f32x4.mul(v128.load32_splat(ap, 4), b));
      c2 = f32x4.add(c2, f32x4.mul(v128.load32_splat(ap1), b));
      c3 = f32x4.add(c3, f32x4.mul(v128.load32_splat(ap1, 4), b));
      c4 = f32x4.add(c4, f32x4.mul(v128.load32_splat(ap2), b));
      c5 = f32x4.add(c5, f32x4.mul(v128.load32_splat(ap2, 4), b));
      c6 = f32x4.add(c6, f32x4.mul(v128.load32_splat(ap3), b));
      c7 = f32x4.add(c7, f32x4.mul(v128.load32_splat(ap3, 4), b));
    }
    ap += step;
    ap1 += step;
    ap2 += step;
    ap3 += step;
    bp += 64;
  }
  addTo<T>(c, c0);
  addTo<T>(c + ldc, c1);
  addTo<T>(c + 2 * ldc, c2);
  addTo<T>(c + 3 * ldc, c3);
  addTo<T>(c + 4 * ldc, c4);
  addTo<T>(c + 5 * ldc, c5);
  addTo<T>(c + 6 * ldc, c6);
  addTo<T>(c + 7 * ldc, c7);
}

// @ts-ignore: decorator
@inline
function addTo<T>(c: usize, acc: v128): void {
  if (sizeof<T>() == 8) v128.store(c, f64x2.add(v128.load(c), acc));
  else v128.store(c, f32x4.add(v128.load(c), acc));
}
