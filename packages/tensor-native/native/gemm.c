#define _GNU_SOURCE
#include "gemm.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "pool.h"

/** k-block depth: must stay 256, the block every backend sums in (see gemm.h). */
#define KC 256
/** Rows of A packed at a time: MC·KC elements stay in L2. */
#define MC 120
/** Columns of B packed at a time. */
#define NC 2048

long gemm_parallel_min = 1L << 17;

#if defined(__x86_64__) || defined(__i386__)
#define BACKPROP_X86 1
#include <immintrin.h>
#else
#define BACKPROP_X86 0
#endif

/** The micro-kernels, in order of preference; each CPU runs the last one it supports. */
enum { KERNEL_GENERIC, KERNEL_AVX2, KERNEL_AVX512 };
static const char *const KERNEL_NAMES[] = {"generic", "avx2", "avx512"};

/**
 * The kernel this process runs: the best the CPU has, or the one BACKPROP_LAB_GEMM_KERNEL names if the CPU
 * has it (to compare kernels on one machine). Decided once, at the addon's load (gemm_kernel_name).
 */
static int kernel_level(void) {
  static int cached = -1;
  if (cached < 0) {
    int level = KERNEL_GENERIC;
#if BACKPROP_X86
    __builtin_cpu_init();
    // Every AVX2 CPU made has FMA too; the float32 AVX2 kernel uses it.
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) level = KERNEL_AVX2;
    if (level == KERNEL_AVX2 && __builtin_cpu_supports("avx512f")) level = KERNEL_AVX512;
#endif
    const char *wanted = getenv("BACKPROP_LAB_GEMM_KERNEL");
    for (int lower = KERNEL_GENERIC; wanted && lower < level; lower++) {
      if (strcmp(wanted, KERNEL_NAMES[lower]) == 0) level = lower;
    }
    cached = level;
  }
  return cached;
}

const char *gemm_kernel_name(void) { return KERNEL_NAMES[kernel_level()]; }

static long round_up(long x, long to) { return (x + to - 1) / to * to; }

/** Per-thread packing buffers, kept between calls (so a training step does not page-fault fresh memory). */
static _Thread_local void *scratch_ptr[3];
static _Thread_local size_t scratch_size[3];

/** Frees this thread's packing buffers (a Node worker's, when its environment is torn down). */
void gemm_release_scratch(void) {
  for (int slot = 0; slot < 3; slot++) {
    free(scratch_ptr[slot]);
    scratch_ptr[slot] = NULL;
    scratch_size[slot] = 0;
  }
}

/** A shared packed operand larger than this is freed after its product instead of kept for the next. */
#define KEEP_SHARED_MAX (16L << 20)

static void *scratch(int slot, size_t bytes) {
  if (scratch_size[slot] >= bytes) return scratch_ptr[slot];
  free(scratch_ptr[slot]);
  size_t size = (bytes + 63) / 64 * 64;
  scratch_ptr[slot] = aligned_alloc(64, size);
  scratch_size[slot] = scratch_ptr[slot] ? size : 0;
  return scratch_ptr[slot];
}

#if BACKPROP_X86
// Square blocks of LANES × LANES elements transposed in registers, for packing an operand stored along
// p (x·W's x, dout·Wᵀ's W): dst[q·ldd + r] = src[r·lds + q]. A copy: the bits are the source's.
__attribute__((target("avx2"))) static inline void transpose_block_f64(const double *src, long lds, double *dst,
                                                                      long ldd) {
  const __m256d r0 = _mm256_loadu_pd(src), r1 = _mm256_loadu_pd(src + lds);
  const __m256d r2 = _mm256_loadu_pd(src + 2 * lds), r3 = _mm256_loadu_pd(src + 3 * lds);
  const __m256d t0 = _mm256_unpacklo_pd(r0, r1), t1 = _mm256_unpackhi_pd(r0, r1);
  const __m256d t2 = _mm256_unpacklo_pd(r2, r3), t3 = _mm256_unpackhi_pd(r2, r3);
  _mm256_storeu_pd(dst, _mm256_permute2f128_pd(t0, t2, 0x20));
  _mm256_storeu_pd(dst + ldd, _mm256_permute2f128_pd(t1, t3, 0x20));
  _mm256_storeu_pd(dst + 2 * ldd, _mm256_permute2f128_pd(t0, t2, 0x31));
  _mm256_storeu_pd(dst + 3 * ldd, _mm256_permute2f128_pd(t1, t3, 0x31));
}

__attribute__((target("avx2"))) static inline void transpose_block_f32(const float *src, long lds, float *dst,
                                                                      long ldd) {
  __m256 r[8], t[8];
  for (int i = 0; i < 8; i++) r[i] = _mm256_loadu_ps(src + i * lds);
  for (int i = 0; i < 8; i += 2) {
    t[i] = _mm256_unpacklo_ps(r[i], r[i + 1]);
    t[i + 1] = _mm256_unpackhi_ps(r[i], r[i + 1]);
  }
  // r[4g + h]: column pairs of rows 4g … 4g+3, lanes (0, 4) for h = 0, then (1, 5), (2, 6), (3, 7).
  for (int g = 0; g < 2; g++) {
    const __m256 *u = t + 4 * g;
    r[4 * g] = _mm256_shuffle_ps(u[0], u[2], 0x44);
    r[4 * g + 1] = _mm256_shuffle_ps(u[0], u[2], 0xEE);
    r[4 * g + 2] = _mm256_shuffle_ps(u[1], u[3], 0x44);
    r[4 * g + 3] = _mm256_shuffle_ps(u[1], u[3], 0xEE);
  }
  for (int h = 0; h < 4; h++) {
    _mm256_storeu_ps(dst + h * ldd, _mm256_permute2f128_ps(r[h], r[4 + h], 0x20));
    _mm256_storeu_ps(dst + (h + 4) * ldd, _mm256_permute2f128_ps(r[h], r[4 + h], 0x31));
  }
}
#endif

// The AVX-512 tile: 12 rows × 2 zmm (24 accumulators of 32 registers, with the two B vectors, a broadcast
// and a product in flight). 8 × 2 measured the same; 24 × 1 and 20 × 1 (one zmm wide, so less padding
// when N = 100) about 30 % slower. MC must stay a multiple of the rows.
#define T double
#define LANES 4
#define SUFFIX f64
#define MR_AVX512 12
#include "gemm-impl.h"
#undef T
#undef LANES
#undef SUFFIX

#undef MR_AVX512
// float32 is not held to the same bits across backends (docs/performance.md, round 5): its AVX2 and
// AVX-512 kernels fuse each multiply-add, which doubles their peak (FMA issues on the ports that ran
// the multiplies and the adds apart), in the same order, so the two agree with each other.
#define T float
#define LANES 8
#define SUFFIX f32
#define MR_AVX512 12
#if BACKPROP_X86
#define MADD_AVX2(acc, a, b) _mm256_fmadd_ps(_mm256_set1_ps(a), (b), (acc))
#define MADD_AVX512(acc, a, b) _mm512_fmadd_ps(_mm512_set1_ps(a), (b), (acc))
#endif
#include "gemm-impl.h"
#undef MADD_AVX2
#undef MADD_AVX512
#undef T
#undef LANES
#undef SUFFIX

/** The register tile's rows (mr) and columns (nr) for g's element type. */
static void tile_shape(const struct gemm_problem *g, long *mr, long *nr) {
  *mr = g->is_f32 ? pick_tile_f32()->mr : pick_tile_f64()->mr;
  *nr = g->is_f32 ? pick_tile_f32()->nr : pick_tile_f64()->nr;
}

static void gemm_block(struct gemm_problem *g, long i0, long i1, long j0, long j1) {
  if (g->is_f32) gemm_block_f32(g, i0, i1, j0, j1);
  else gemm_block_f64(g, i0, i1, j0, j1);
}

/**
 * A product split into chunks that threads take in turn (an atomic counter), so a thread the OS holds
 * back leaves its chunks to the others instead of making them wait. The operand every chunk reads whole
 * is packed once beforehand: op(B) when chunks are row ranges, op(A) when they are column ranges.
 */
struct chunked {
  struct gemm_problem *g;
  void *packed;
  int along_m;
  long size, step, chunks;
  atomic_long next;
  /** The shared operand is packed first, a 256-deep k-block a task, by whichever threads are there. */
  long blocks;
  atomic_long next_block;
  atomic_long blocks_done;
};

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define spin_pause() _mm_pause()
#else
#define spin_pause() ((void)0)
#endif

/** Packs k-block `block` of the shared operand into its place (block p0 at packed + p0·npad or p0·mpad, as gemm_rows / gemm_cols read it). */
static void pack_block(struct chunked *s, long block) {
  struct gemm_problem *g = s->g;
  const long pc = block * KC, kc = g->k - pc < KC ? g->k - pc : KC;
  long mr, nr;
  tile_shape(g, &mr, &nr);
  if (s->along_m) {
    if (g->is_f32) pack_b_f32(g, pc, kc, 0, g->n, nr, (float *)s->packed + pc * round_up(g->n, nr));
    else pack_b_f64(g, pc, kc, 0, g->n, nr, (double *)s->packed + pc * round_up(g->n, nr));
  } else {
    if (g->is_f32) pack_a_f32(g, 0, g->m, pc, kc, mr, (float *)s->packed + pc * round_up(g->m, mr));
    else pack_a_f64(g, 0, g->m, pc, kc, mr, (double *)s->packed + pc * round_up(g->m, mr));
  }
}

static void chunk_task(void *ctx, int part) {
  struct chunked *s = ctx;
  (void)part;
  for (;;) {
    const long block = atomic_fetch_add_explicit(&s->next_block, 1, memory_order_relaxed);
    if (block >= s->blocks) break;
    pack_block(s, block);
    atomic_fetch_add_explicit(&s->blocks_done, 1, memory_order_release);
  }
  // Every chunk reads every block: wait for the packing still under way on other threads. (Run one part
  // after another, part 0 packs every block itself before it gets here.)
  while (atomic_load_explicit(&s->blocks_done, memory_order_acquire) < s->blocks) spin_pause();
  for (;;) {
    const long chunk = atomic_fetch_add_explicit(&s->next, 1, memory_order_relaxed);
    if (chunk >= s->chunks) return;
    const long from = chunk * s->step, to = from + s->step < s->size ? from + s->step : s->size;
    if (s->g->is_f32) {
      if (s->along_m) gemm_rows_f32(s->g, s->packed, from, to);
      else gemm_cols_f32(s->g, s->packed, from, to);
    } else {
      if (s->along_m) gemm_rows_f64(s->g, s->packed, from, to);
      else gemm_cols_f64(s->g, s->packed, from, to);
    }
  }
}

/** Above this many bytes the shared packed operand is not made: each thread packs its own blocks. */
#define SHARED_PACK_MAX (64L << 20)

/** The static split: parts ranges of whole tiles along M (or N), each packing what it reads itself. */
struct split {
  struct gemm_problem *g;
  int parts;
  int along_m;
  long unit;
};

static void split_range(long size, long unit, int parts, int part, long *from, long *to) {
  long units = (size + unit - 1) / unit;
  long start = units * part / parts, end = units * (part + 1) / parts;
  *from = start * unit < size ? start * unit : size;
  *to = end * unit < size ? end * unit : size;
}

static void split_task(void *ctx, int part) {
  struct split *s = ctx;
  long from, to;
  if (s->along_m) {
    split_range(s->g->m, s->unit, s->parts, part, &from, &to);
    gemm_block(s->g, from, to, 0, s->g->n);
  } else {
    split_range(s->g->n, s->unit, s->parts, part, &from, &to);
    gemm_block(s->g, 0, s->g->m, from, to);
  }
}

static void run_parts(pool_task task, void *ctx, int parts) {
  if (!pool_run(task, ctx, parts)) {
    for (int part = 0; part < parts; part++) task(ctx, part);
  }
}

int gemm_run(struct gemm_problem *g) {
  g->failed = 0;
  if (g->m == 0 || g->n == 0) return 0;
  long mr, nr;
  tile_shape(g, &mr, &nr);
  const size_t size = g->is_f32 ? sizeof(float) : sizeof(double);
  const long tiles_m = (g->m + mr - 1) / mr, tiles_n = (g->n + nr - 1) / nr;
  const int along_m = tiles_m >= tiles_n;
  const long tiles = along_m ? tiles_m : tiles_n;
  int parts = pool_threads();
  const double work = (double)g->m * (double)g->n * (double)g->k;
  if (work < (double)gemm_parallel_min || g->k == 0) parts = 1;
  if (parts > tiles) parts = (int)tiles;
  if (parts <= 1) {
    gemm_block(g, 0, g->m, 0, g->n);
    return g->failed ? -1 : 0;
  }
  // Each element of C is computed whole by one chunk (or part), summed as gemm_block sums it, so any split
  // and any assignment of chunks to threads gives the single-thread bits.
  const size_t shared = (size_t)round_up(along_m ? g->n : g->m, along_m ? nr : mr) * (size_t)g->k * size;
  void *packed = shared <= SHARED_PACK_MAX ? scratch(2, shared) : NULL;
  if (packed) {
    // About four chunks per thread, whole tiles each, at most MC rows.
    const long unit = along_m ? mr : nr;
    long step = round_up((tiles + 4L * parts - 1) / (4L * parts), 1) * unit;
    if (along_m && step > MC) step = MC;
    if (!along_m && step > NC) step = NC;
    struct chunked s = {g, packed, along_m, along_m ? g->m : g->n, step, 0, 0, (g->k + KC - 1) / KC, 0, 0};
    s.chunks = (s.size + step - 1) / step;
    atomic_init(&s.next, 0);
    atomic_init(&s.next_block, 0);
    atomic_init(&s.blocks_done, 0);
    run_parts(chunk_task, &s, parts);
    if (shared > KEEP_SHARED_MAX) {
      free(scratch_ptr[2]);
      scratch_ptr[2] = NULL;
      scratch_size[2] = 0;
    }
  } else {
    struct split s = {g, parts, along_m, along_m ? mr : nr};
    run_parts(split_task, &s, parts);
  }
  return g->failed ? -1 : 0;
}

static void pair_task(void *ctx, int part) {
  struct gemm_problem **pair = ctx;
  struct gemm_problem *g = pair[part];
  if (g->m && g->n) gemm_block(g, 0, g->m, 0, g->n);
}

int gemm_run_pair(struct gemm_problem *first, struct gemm_problem *second) {
  first->failed = second->failed = 0;
  const double w1 = (double)first->m * first->n * first->k, w2 = (double)second->m * second->n * second->k;
  const double big = 4.0 * (double)gemm_parallel_min;
  if (pool_threads() < 2 || w1 > big || w2 > big) {
    // Either is large enough to split well by itself.
    if (gemm_run(first)) return -1;
    return gemm_run(second);
  }
  struct gemm_problem *pair[2] = {first, second};
  if (!pool_run(pair_task, pair, 2)) {
    pair_task(pair, 0);
    pair_task(pair, 1);
  }
  return first->failed || second->failed ? -1 : 0;
}
