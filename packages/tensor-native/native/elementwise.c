#define _GNU_SOURCE
// Comparisons may raise the invalid flag on NaN, so by default GCC keeps the branches of maximum, minimum
// and where rather than compute both arms and select, and leaves those loops scalar. Nothing here reads
// the flags, and no value changes: only the branches go.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC optimize("no-trapping-math")
#endif
#include "elementwise.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

#include "pool.h"

#if defined(__x86_64__) || defined(__i386__)
#define EW_X86 1
#else
#define EW_X86 0
#endif

#if EW_X86
#define ATTR __attribute__((target("avx2")))
#define T float
#define U uint32_t
#define SUFFIX f32_avx2
#include "elementwise-impl.h"
#undef T
#undef U
#undef SUFFIX
#define T double
#define U uint64_t
#define SUFFIX f64_avx2
#include "elementwise-impl.h"
#undef T
#undef U
#undef SUFFIX
#undef ATTR
#endif

#define ATTR
#define T float
#define U uint32_t
#define SUFFIX f32_base
#include "elementwise-impl.h"
#undef T
#undef U
#undef SUFFIX
#define T double
#define U uint64_t
#define SUFFIX f64_base
#include "elementwise-impl.h"
#undef T
#undef U
#undef SUFFIX
#undef ATTR

/** From this many elements on, a job is split over the pool's threads; tensor sets its own value. */
static long parallel_min = 1L << 20;

long ew_set_parallel_min(long elements) {
  long previous = parallel_min;
  parallel_min = elements;
  return previous;
}

static void ew_part(void *ctx, int part) {
  const struct ew_job *job = ctx;
  const long count = job->rows * job->cols;
  // Parts start on 16-element boundaries: each thread writes whole cache lines.
  const long per = (count / job->parts + 15) / 16 * 16;
  long from = per * part, to = part == job->parts - 1 ? count : per * (part + 1);
  if (from > count) from = count;
  if (to > count) to = count;
  if (from >= to) return;
#if EW_X86
  if (__builtin_cpu_supports("avx2")) {
    if (job->is_f32) range_f32_avx2(job, from, to);
    else range_f64_avx2(job, from, to);
    return;
  }
#endif
  if (job->is_f32) range_f32_base(job, from, to);
  else range_f64_base(job, from, to);
}

void ew_run(struct ew_job *job) {
  const long count = job->rows * job->cols;
  job->parts = count >= parallel_min ? pool_threads() : 1;
  if (job->parts == 1 || !pool_run(ew_part, job, job->parts)) {
    for (int part = 0; part < job->parts; part++) ew_part(job, part);
  }
}
