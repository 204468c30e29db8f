// The blocked driver for one element type, as a template: define T, LANES (elements per 32 bytes), SUFFIX
// and MR_AVX512 (the AVX-512 tile's rows), and MADD_AVX2 / MADD_AVX512 for fused kernels (see
// microkernel.h), then include. GotoBLAS-style: for each NC-column block and each
// 256-deep k-block, op(B) is packed into nr-wide panels (kept in L1 by the micro-kernel), op(A) MC rows at a
// time into mr-row panels (kept in L2); transposes are absorbed by the packing, so one micro-kernel serves
// all four cases. Panels are zero-padded at the edges. The tile (micro-kernels, mr, nr) is chosen at run
// time, by the CPU (kernel_level in gemm.c).

#define CAT_(a, b) a##b
#define CAT(a, b) CAT_(a, b)
typedef T CAT(vec32_, SUFFIX) __attribute__((vector_size(32)));
typedef T CAT(vec64_, SUFFIX) __attribute__((vector_size(64)));

// Each instruction set has a tile of two vectors per row and a half tile (one vector, same panels) for
// the last columns when they fit in one vector (N = 100 leaves 4).
#define MR 6
#define VLANES LANES
#define BSTRIDE (2 * LANES)
#define V CAT(vec32_, SUFFIX)
#define ATTR
#define NV 2
#define NAME CAT(kernel_base_, SUFFIX)
#include "microkernel.h"
#undef NAME
#undef NV
#define NV 1
#define NAME CAT(half_base_, SUFFIX)
#include "microkernel.h"
#undef NAME
#undef NV
#undef ATTR
#if BACKPROP_X86
#define ATTR __attribute__((target("avx2,fma")))
#ifdef MADD_AVX2
#define MADD MADD_AVX2
#endif
#define NV 2
#define NAME CAT(kernel_avx2_, SUFFIX)
#include "microkernel.h"
#undef NAME
#undef NV
#define NV 1
#define NAME CAT(half_avx2_, SUFFIX)
#include "microkernel.h"
#undef NAME
#undef NV
#undef ATTR
#undef MADD
#undef MR
#undef VLANES
#undef BSTRIDE
#undef V
#define MR MR_AVX512
#define VLANES (2 * LANES)
#define BSTRIDE (4 * LANES)
#define V CAT(vec64_, SUFFIX)
#define ATTR __attribute__((target("avx512f")))
#ifdef MADD_AVX512
#define MADD MADD_AVX512
#endif
#define NV 2
#define NAME CAT(kernel_avx512_, SUFFIX)
#include "microkernel.h"
#undef NAME
#undef NV
#define NV 1
#define NAME CAT(half_avx512_, SUFFIX)
#include "microkernel.h"
#undef NAME
#undef NV
#undef ATTR
#undef MADD
// The quarter tile: one 32-byte vector per row over the same 12-row panels, for the last columns when
// they fit in a quarter of the tile (N = 100 leaves 4: 104 columns computed in float64 instead of 108,
// in float32 104 instead of 112). Fused like the AVX2 kernel, so its float32 bits are the zmm kernels'.
#undef VLANES
#undef V
#define VLANES LANES
#define V CAT(vec32_, SUFFIX)
#define ATTR __attribute__((target("avx512f,avx2,fma")))
#ifdef MADD_AVX2
#define MADD MADD_AVX2
#endif
#define NV 1
#define NAME CAT(quarter_avx512_, SUFFIX)
#include "microkernel.h"
#undef NAME
#undef NV
#undef ATTR
#undef MADD
#endif
#undef MR
#undef VLANES
#undef BSTRIDE
#undef V

/**
 * A register tile: its micro-kernel, the half-width one (nr ≤ half the tile's columns), the quarter-width
 * one (nr ≤ a quarter; NULL where the half is one vector already), rows and columns.
 */
struct CAT(tile_, SUFFIX) {
  void (*kernel)(int kc, const T *a, const T *b, T *c, long ldc, int mr, int nr, int first);
  void (*half)(int kc, const T *a, const T *b, T *c, long ldc, int mr, int nr, int first);
  void (*quarter)(int kc, const T *a, const T *b, T *c, long ldc, int mr, int nr, int first);
  long mr, nr;
};

static const struct CAT(tile_, SUFFIX) * CAT(pick_tile_, SUFFIX)(void) {
  static const struct CAT(tile_, SUFFIX) tiles[] = {
      [KERNEL_GENERIC] = {CAT(kernel_base_, SUFFIX), CAT(half_base_, SUFFIX), NULL, 6, 2 * LANES},
#if BACKPROP_X86
      [KERNEL_AVX2] = {CAT(kernel_avx2_, SUFFIX), CAT(half_avx2_, SUFFIX), NULL, 6, 2 * LANES},
      [KERNEL_AVX512] = {CAT(kernel_avx512_, SUFFIX), CAT(half_avx512_, SUFFIX), CAT(quarter_avx512_, SUFFIX),
                         MR_AVX512, 4 * LANES},
#endif
  };
  return &tiles[kernel_level()];
}

/**
 * C[mr, nr] += A-panel · B-panel on the tile, or on its half or quarter when the columns fit; for the first k-block
 * (p0 = 0) C is taken as +0 and not read.
 */
static inline void CAT(run_tile_, SUFFIX)(const struct CAT(tile_, SUFFIX) * tile, long p0, long kc, const T *a,
                                          const T *b, T *c, long ldc, int mr, int nr) {
  const int first = p0 == 0;
  if (4 * nr <= tile->nr && tile->quarter) tile->quarter((int)kc, a, b, c, ldc, mr, nr, first);
  else (2 * nr <= tile->nr ? tile->half : tile->kernel)((int)kc, a, b, c, ldc, mr, nr, first);
}

/** One panel's row p: dst[x] = src[x·along_x] for x < cols, +0 for cols ≤ x < W. */
static inline __attribute__((always_inline)) void CAT(pack_row_, SUFFIX)(const T *restrict src, long along_x,
                                                                      long cols, const long W, T *restrict dst) {
  if (cols == W) {
    for (long x = 0; x < W; x++) dst[x] = src[x * along_x];
  } else {
    for (long x = 0; x < cols; x++) dst[x] = src[x * along_x];
    for (long x = cols; x < W; x++) dst[x] = 0;
  }
}

/**
 * The operand X (element (p, x) at src[p·along_p + x·along_x]), p < kc, x < count, into W-wide panels:
 * panel q holds X[p, q·W … q·W+W] for each p, at dst + q·W·kc, zero-padded. Inlined with W constant
 * (pack_panels), so the loop over x unrolls. The order follows memory: when x is contiguous, row by row
 * across every panel; else panel by panel, each reading W rows of X stored along p.
 */
static inline __attribute__((always_inline)) void CAT(pack_panels_w_, SUFFIX)(const T *restrict src, long along_p,
                                                                           long along_x, long kc, long count,
                                                                           const long W, T *restrict dst) {
  if (along_x == 1) {
    for (long p = 0; p < kc; p++) {
      for (long x0 = 0; x0 < count; x0 += W) {
        const long cols = count - x0 < W ? count - x0 : W;
        CAT(pack_row_, SUFFIX)(src + p * along_p + x0, 1, cols, W, dst + x0 * kc + p * W);
      }
    }
  } else {
    for (long x0 = 0; x0 < count; x0 += W) {
      const long cols = count - x0 < W ? count - x0 : W;
      for (long p = 0; p < kc; p++) {
        CAT(pack_row_, SUFFIX)(src + p * along_p + x0 * along_x, along_x, cols, W, dst + x0 * kc + p * W);
      }
    }
  }
}

#if BACKPROP_X86
/**
 * pack_panels_w for X stored along p (along_p = 1), LANES × LANES blocks at a time transposed in registers
 * (transpose_block in gemm.c) instead of W strided reads per p: rows of X are read a vector at a time.
 */
__attribute__((target("avx2"))) static void CAT(pack_transposed_, SUFFIX)(const T *restrict src, long along_x, long kc,
                                                                        long count, long W, T *restrict dst) {
  for (long x0 = 0; x0 < count; x0 += W) {
    const long cols = count - x0 < W ? count - x0 : W;
    const T *rows = src + x0 * along_x;
    T *panel = dst + x0 * kc;
    long p = 0;
    for (; p + LANES <= kc; p += LANES) {
      long x = 0;
      for (; x + LANES <= cols; x += LANES) CAT(transpose_block_, SUFFIX)(rows + x * along_x + p, along_x, panel + p * W + x, W);
      for (; x < cols; x++) {
        for (long q = 0; q < LANES; q++) panel[(p + q) * W + x] = rows[x * along_x + p + q];
      }
      for (; x < W; x++) {
        for (long q = 0; q < LANES; q++) panel[(p + q) * W + x] = 0;
      }
    }
    for (; p < kc; p++) CAT(pack_row_, SUFFIX)(rows + p, along_x, cols, W, panel + p * W);
  }
}
#endif

/** pack_panels_w with W one of the tiles' widths (6 or 12 rows, 8, 16 or 32 columns) made a constant. */
static void CAT(pack_panels_, SUFFIX)(const T *src, long along_p, long along_x, long kc, long count, long W,
                                      T *dst) {
#if BACKPROP_X86
  if (along_p == 1 && along_x != 1 && kernel_level() >= KERNEL_AVX2) {
    CAT(pack_transposed_, SUFFIX)(src, along_x, kc, count, W, dst);
    return;
  }
#endif
#define WIDTH(w)                                                                    \
  case w:                                                                           \
    CAT(pack_panels_w_, SUFFIX)(src, along_p, along_x, kc, count, w, dst);          \
    return;
  switch (W) {
    WIDTH(6)
    WIDTH(8)
    WIDTH(12)
    WIDTH(16)
    WIDTH(32)
  default:
    CAT(pack_panels_w_, SUFFIX)(src, along_p, along_x, kc, count, W, dst);
  }
#undef WIDTH
}

/** op(A)[i0 … i0+mc, p0 … p0+kc] into MR-row panels (MR: the tile's rows): panel r holds, for each p, MR consecutive rows. */
static void CAT(pack_a_, SUFFIX)(const struct gemm_problem *g, long i0, long mc, long p0, long kc, long MR, T *out) {
  // Element (p, i) of op(A): A is [M, K], or [K, M] when transposed.
  const long along_p = g->trans_a ? g->m : 1, along_i = g->trans_a ? 1 : g->k;
  const T *a = (const T *)g->a + p0 * along_p + i0 * along_i;
  CAT(pack_panels_, SUFFIX)(a, along_p, along_i, kc, mc, MR, out);
}

/** op(B)[p0 … p0+kc, j0 … j0+nc] into NR-column panels (NR: the tile's columns): panel j holds, for each p, NR consecutive columns. */
static void CAT(pack_b_, SUFFIX)(const struct gemm_problem *g, long p0, long kc, long j0, long nc, long NR, T *out) {
  // Element (p, j) of op(B): B is [K, N], or [N, K] when transposed.
  const long along_p = g->trans_b ? 1 : g->n, along_j = g->trans_b ? g->k : 1;
  const T *b = (const T *)g->b + p0 * along_p + j0 * along_j;
  CAT(pack_panels_, SUFFIX)(b, along_p, along_j, kc, nc, NR, out);
}

/** C[i0 … i1, j0 … j1] = op(A) · op(B) restricted to those rows and columns, on this thread. */
static void CAT(gemm_block_, SUFFIX)(struct gemm_problem *g, long i0, long i1, long j0, long j1) {
  T *c = (T *)g->c;
  const long n = g->n;
  if (i1 <= i0 || j1 <= j0) return;
  if (g->k == 0) {
    // An empty sum: the k-block loop below never runs, so zero C here.
    for (long i = i0; i < i1; i++) memset(c + i * n + j0, 0, (size_t)(j1 - j0) * sizeof(T));
    return;
  }
  const struct CAT(tile_, SUFFIX) *tile = CAT(pick_tile_, SUFFIX)();
  const long MR = tile->mr, NR = tile->nr;
  const long ncMax = (j1 - j0 < NC ? j1 - j0 : NC);
  const long mcMax = (i1 - i0 < MC ? i1 - i0 : MC);
  T *bbuf = (T *)scratch(0, (size_t)KC * (size_t)round_up(ncMax, NR) * sizeof(T));
  T *abuf = (T *)scratch(1, (size_t)KC * (size_t)round_up(mcMax, MR) * sizeof(T));
  if (!bbuf || !abuf) {
    g->failed = 1;
    return;
  }
  for (long jc = j0; jc < j1; jc += NC) {
    const long nc = j1 - jc < NC ? j1 - jc : NC;
    for (long pc = 0; pc < g->k; pc += KC) {
      const long kc = g->k - pc < KC ? g->k - pc : KC;
      CAT(pack_b_, SUFFIX)(g, pc, kc, jc, nc, NR, bbuf);
      for (long ic = i0; ic < i1; ic += MC) {
        const long mc = i1 - ic < MC ? i1 - ic : MC;
        CAT(pack_a_, SUFFIX)(g, ic, mc, pc, kc, MR, abuf);
        for (long jr = 0; jr < nc; jr += NR) {
          const int nr = (int)(nc - jr < NR ? nc - jr : NR);
          for (long ir = 0; ir < mc; ir += MR) {
            const int mr = (int)(mc - ir < MR ? mc - ir : MR);
            CAT(run_tile_, SUFFIX)(tile, pc, kc, abuf + ir * kc, bbuf + jr * kc, c + (ic + ir) * n + jc + jr, n, mr, nr);
          }
        }
      }
    }
  }
}

/**
 * Rows i0 … i1 of C (all columns) from B packed whole (k-block p0 at bpack + p0·npad, npad = n rounded up
 * to the tile's NR, as pack_b lays out each block): each row's sums as gemm_block's.
 */
static void CAT(gemm_rows_, SUFFIX)(struct gemm_problem *g, const T *bpack, long i0, long i1) {
  T *c = (T *)g->c;
  const struct CAT(tile_, SUFFIX) *tile = CAT(pick_tile_, SUFFIX)();
  const long MR = tile->mr, NR = tile->nr;
  const long n = g->n, npad = round_up(n, NR);
  T *abuf = (T *)scratch(1, (size_t)KC * (size_t)round_up(i1 - i0 < MC ? i1 - i0 : MC, MR) * sizeof(T));
  if (!abuf) {
    g->failed = 1;
    return;
  }
  for (long pc = 0; pc < g->k; pc += KC) {
    const long kc = g->k - pc < KC ? g->k - pc : KC;
    const T *bblock = bpack + pc * npad;
    for (long ic = i0; ic < i1; ic += MC) {
      const long mc = i1 - ic < MC ? i1 - ic : MC;
      CAT(pack_a_, SUFFIX)(g, ic, mc, pc, kc, MR, abuf);
      for (long jr = 0; jr < n; jr += NR) {
        const int nr = (int)(n - jr < NR ? n - jr : NR);
        for (long ir = 0; ir < mc; ir += MR) {
          const int mr = (int)(mc - ir < MR ? mc - ir : MR);
          CAT(run_tile_, SUFFIX)(tile, pc, kc, abuf + ir * kc, bblock + jr * kc, c + (ic + ir) * n + jr, n, mr, nr);
        }
      }
    }
  }
}

/** Columns j0 … j1 of C (all rows) from A packed whole (k-block p0 at apack + p0·mpad, mpad = m rounded up to the tile's MR). */
static void CAT(gemm_cols_, SUFFIX)(struct gemm_problem *g, const T *apack, long j0, long j1) {
  T *c = (T *)g->c;
  const struct CAT(tile_, SUFFIX) *tile = CAT(pick_tile_, SUFFIX)();
  const long MR = tile->mr, NR = tile->nr;
  const long n = g->n, m = g->m, mpad = round_up(m, MR);
  T *bbuf = (T *)scratch(1, (size_t)KC * (size_t)round_up(j1 - j0, NR) * sizeof(T));
  if (!bbuf) {
    g->failed = 1;
    return;
  }
  for (long pc = 0; pc < g->k; pc += KC) {
    const long kc = g->k - pc < KC ? g->k - pc : KC;
    const T *ablock = apack + pc * mpad;
    CAT(pack_b_, SUFFIX)(g, pc, kc, j0, j1 - j0, NR, bbuf);
    for (long jr = 0; jr < j1 - j0; jr += NR) {
      const int nr = (int)(j1 - j0 - jr < NR ? j1 - j0 - jr : NR);
      for (long ir = 0; ir < m; ir += MR) {
        const int mr = (int)(m - ir < MR ? m - ir : MR);
        CAT(run_tile_, SUFFIX)(tile, pc, kc, ablock + ir * kc, bbuf + jr * kc, c + ir * n + j0 + jr, n, mr, nr);
      }
    }
  }
}

