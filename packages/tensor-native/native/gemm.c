#define _GNU_SOURCE
#include "gemm.h"

#include <stdlib.h>
#include <string.h>

#include "pool.h"

/** k-block depth: must stay 256, the block every backend sums in (see gemm.h). */
#define KC 256
/** Rows of A packed at a time: MC·KC elements stay in L2. */
#define MC 120
/** Columns of B packed at a time. */
#define NC 2048
/** Rows of a register tile. */
#define MR 6

long gemm_parallel_min = 1L << 17;

static int cpu_has_avx2(void) {
#if defined(__x86_64__) || defined(__i386__)
  static int cached = -1;
  if (cached < 0) {
    __builtin_cpu_init();
    cached = __builtin_cpu_supports("avx2") ? 1 : 0;
  }
  return cached;
#else
  return 0;
#endif
}

const char *gemm_kernel_name(void) { return cpu_has_avx2() ? "avx2" : "generic"; }

static long round_up(long x, long to) { return (x + to - 1) / to * to; }

/** Per-thread packing buffers, kept between calls (so a training step does not page-fault fresh memory). */
static _Thread_local void *scratch_ptr[2];
static _Thread_local size_t scratch_size[2];

static void *scratch(int slot, size_t bytes) {
  if (scratch_size[slot] >= bytes) return scratch_ptr[slot];
  free(scratch_ptr[slot]);
  size_t size = (bytes + 63) / 64 * 64;
  scratch_ptr[slot] = aligned_alloc(64, size);
  scratch_size[slot] = scratch_ptr[slot] ? size : 0;
  return scratch_ptr[slot];
}

#define T double
#define LANES 4
#define SUFFIX f64
#include "gemm-impl.h"
#undef T
#undef LANES
#undef SUFFIX

#define T float
#define LANES 8
#define SUFFIX f32
#include "gemm-impl.h"
#undef T
#undef LANES
#undef SUFFIX

static void gemm_block(struct gemm_problem *g, long i0, long i1, long j0, long j1) {
  if (g->is_f32) gemm_block_f32(g, i0, i1, j0, j1);
  else gemm_block_f64(g, i0, i1, j0, j1);
}

/** A split of one problem into parts: along M in MR-row steps, or along N in NR-column steps. */
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

int gemm_run(struct gemm_problem *g) {
  g->failed = 0;
  const long nr = g->is_f32 ? 16 : 8;
  const long tiles_m = (g->m + MR - 1) / MR, tiles_n = (g->n + nr - 1) / nr;
  int parts = pool_threads();
  const double work = (double)g->m * (double)g->n * (double)g->k;
  if (work < (double)gemm_parallel_min) parts = 1;
  struct split s = {g, 1, tiles_m >= tiles_n, tiles_m >= tiles_n ? MR : nr};
  const long tiles = s.along_m ? tiles_m : tiles_n;
  if (parts > tiles) parts = (int)tiles;
  if (parts < 1) parts = 1;
  s.parts = parts;
  // Each element of C is computed whole by one part, so any split gives the single-thread bits.
  if (!pool_run(split_task, &s, parts)) {
    for (int part = 0; part < parts; part++) split_task(&s, part);
  }
  return g->failed ? -1 : 0;
}

static void pair_task(void *ctx, int part) {
  struct gemm_problem **pair = ctx;
  struct gemm_problem *g = pair[part];
  gemm_block(g, 0, g->m, 0, g->n);
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
