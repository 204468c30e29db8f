#define _GNU_SOURCE
#include "moment-step.h"

#include <math.h>

#include "pool.h"

/** From this many elements on, the update is split over the pool's threads. */
#define MOMENT_STEP_PARALLEL_MIN 32768

#define MOMENT_STEP_LOOP(T)                                                                   \
  do {                                                                               \
    const T b1 = (T)args->decay1, b2 = (T)args->decay2, ob1 = (T)(1 - args->decay1); \
    const T ob2 = (T)(1 - args->decay2), lr = (T)args->rate, eps = (T)args->epsilon; \
    const T c1 = (T)args->c1, c2 = (T)args->c2;                                      \
    for (long i = 0; i < count; i++) {                                               \
      const T gi = g[i];                                                             \
      const T mi = b1 * m[i] + ob1 * gi;                                             \
      const T vi = b2 * v[i] + ob2 * (gi * gi);                                      \
      m[i] = mi;                                                                     \
      v[i] = vi;                                                                     \
      w[i] = w[i] - (lr * (mi * c1)) / (SQRT(T)(vi * c2) + eps);                     \
    }                                                                                \
  } while (0)
#define SQRT(T) _Generic((T)0, float: sqrtf, default: sqrt)

#if defined(__x86_64__) || defined(__i386__)
#define MOMENT_STEP_X86 1
__attribute__((target("avx2"))) static void moment_step_f64_avx2(double *restrict w, const double *restrict g,
                                                           double *restrict m, double *restrict v, long count,
                                                           const struct moment_step_args *args) {
  MOMENT_STEP_LOOP(double);
}
#else
#define MOMENT_STEP_X86 0
#endif
static void moment_step_f64_base(double *restrict w, const double *restrict g, double *restrict m, double *restrict v,
                          long count, const struct moment_step_args *args) {
  MOMENT_STEP_LOOP(double);
}
#if MOMENT_STEP_X86
__attribute__((target("avx2"))) static void moment_step_f32_avx2(float *restrict w, const float *restrict g,
                                                           float *restrict m, float *restrict v, long count,
                                                           const struct moment_step_args *args) {
  MOMENT_STEP_LOOP(float);
}
#endif
static void moment_step_f32_base(float *restrict w, const float *restrict g, float *restrict m, float *restrict v,
                          long count, const struct moment_step_args *args) {
  MOMENT_STEP_LOOP(float);
}

#if MOMENT_STEP_X86
static int has_avx2(void) { return __builtin_cpu_supports("avx2"); }
#define MOMENT_STEP_PICK(avx2, base) (has_avx2() ? (avx2) : (base))
#else
#define MOMENT_STEP_PICK(avx2, base) (base)
#endif

struct moment_step_job {
  void *w;
  const void *g;
  void *m;
  void *v;
  long count;
  int parts;
  int is_f32;
  const struct moment_step_args *args;
};

static void moment_step_part(void *ctx, int part) {
  struct moment_step_job *job = ctx;
  // Parts start on 8-element boundaries so that each vector loop sees aligned-equal work.
  long per = (job->count / job->parts + 7) / 8 * 8;
  long from = per * part, to = part == job->parts - 1 ? job->count : per * (part + 1);
  if (from > job->count) from = job->count;
  if (to > job->count) to = job->count;
  long n = to - from;
  if (n <= 0) return;
  if (job->is_f32) {
    float *w = (float *)job->w + from, *m = (float *)job->m + from, *v = (float *)job->v + from;
    const float *g = (const float *)job->g + from;
    MOMENT_STEP_PICK(moment_step_f32_avx2, moment_step_f32_base)(w, g, m, v, n, job->args);
  } else {
    double *w = (double *)job->w + from, *m = (double *)job->m + from, *v = (double *)job->v + from;
    const double *g = (const double *)job->g + from;
    MOMENT_STEP_PICK(moment_step_f64_avx2, moment_step_f64_base)(w, g, m, v, n, job->args);
  }
}

static void moment_step_run(struct moment_step_job *job) {
  job->parts = job->count >= MOMENT_STEP_PARALLEL_MIN ? pool_threads() : 1;
  if (!pool_run(moment_step_part, job, job->parts)) {
    for (int part = 0; part < job->parts; part++) moment_step_part(job, part);
  }
}

void moment_step_f64(double *w, const double *g, double *m, double *v, long count, const struct moment_step_args *args) {
  struct moment_step_job job = {w, g, m, v, count, 1, 0, args};
  moment_step_run(&job);
}

void moment_step_f32(float *w, const float *g, float *m, float *v, long count, const struct moment_step_args *args) {
  struct moment_step_job job = {w, g, m, v, count, 1, 1, args};
  moment_step_run(&job);
}
