#include "reduce.h"

#include <stddef.h>
#include <string.h>

/** Outputs whose sums run side by side: a block of doubles that stays in L1. */
#define BLOCK 256

/**
 * The sums of `count` outputs at x + j·step (j < count), each over `length` elements `stride` apart, into
 * acc[j]; with mean (not NULL) the sum of squared distances to mean[j] instead.
 */
#define SUMS(T)                                                                                        \
  static void sums_##T(double *restrict acc, const T *restrict x, long count, long step, long length,   \
                       long stride, const double *restrict mean) {                                      \
    if (count == 1) {                                                                                   \
      /* One sum (e.g. of a whole tensor): one add after another, at the add's latency. */              \
      double s = 0;                                                                                     \
      if (mean) {                                                                                       \
        for (long k = 0; k < length; k++) {                                                             \
          const double d = (double)x[k * stride] - mean[0];                                             \
          s += d * d;                                                                                   \
        }                                                                                               \
      } else {                                                                                          \
        for (long k = 0; k < length; k++) s += (double)x[k * stride];                                   \
      }                                                                                                 \
      acc[0] = s;                                                                                       \
      return;                                                                                           \
    }                                                                                                   \
    for (long j = 0; j < count; j++) acc[j] = 0;                                                        \
    for (long k = 0; k < length; k++) {                                                                 \
      const T *row = x + k * stride;                                                                    \
      if (mean) {                                                                                       \
        for (long j = 0; j < count; j++) {                                                              \
          const double d = (double)row[j * step] - mean[j];                                             \
          acc[j] += d * d;                                                                              \
        }                                                                                               \
      } else {                                                                                          \
        for (long j = 0; j < count; j++) acc[j] += (double)row[j * step];                               \
      }                                                                                                 \
    }                                                                                                   \
  }

/**
 * The op for `count` outputs (at out + j·out_step, inputs as in SUMS): the mean and variance divide by
 * length as reduce.ts does (sum / n, then the squares about that unrounded mean, / n).
 */
#define BLOCK_OP(T)                                                                                      \
  SUMS(T)                                                                                                \
  static void block_##T(int op, T *out, long out_step, const T *x, long count, long step, long length,  \
                        long stride) {                                                                   \
    double acc[BLOCK], mean[BLOCK];                                                                      \
    sums_##T(acc, x, count, step, length, stride, NULL);                                                 \
    if (op == REDUCE_VARIANCE) {                                                                         \
      for (long j = 0; j < count; j++) mean[j] = acc[j] / length;                                        \
      sums_##T(acc, x, count, step, length, stride, mean);                                               \
    }                                                                                                    \
    for (long j = 0; j < count; j++) out[j * out_step] = (T)(op == REDUCE_SUM ? acc[j] : acc[j] / length); \
  }                                                                                                      \
  static void reduce_##T(int op, T *out, const T *x, long outer, long length, long inner) {             \
    if (inner > 1) {                                                                                     \
      /* Outputs next to each other in memory: a block of them walks the axis row by row. */             \
      for (long o = 0; o < outer; o++) {                                                                 \
        for (long i = 0; i < inner; i += BLOCK) {                                                        \
          const long count = inner - i < BLOCK ? inner - i : BLOCK;                                      \
          block_##T(op, out + o * inner + i, 1, x + o * length * inner + i, count, 1, length, inner);   \
        }                                                                                                \
      }                                                                                                  \
    } else {                                                                                             \
      /* One output per run of `length` elements: eight runs at once keep eight sums in flight. */      \
      for (long o = 0; o < outer; o += 8) {                                                              \
        const long count = outer - o < 8 ? outer - o : 8;                                                \
        block_##T(op, out + o, 1, x + o * length, count, length, length, 1);                             \
      }                                                                                                  \
    }                                                                                                    \
  }

BLOCK_OP(float)
BLOCK_OP(double)

void reduce_run(int op, int is_f32, void *out, const void *x, long outer, long length, long inner) {
  if (is_f32) reduce_float(op, out, x, outer, length, inner);
  else reduce_double(op, out, x, outer, length, inner);
}

// vdot: Σ a[k]·b[k] over eight running sums, element k going to sum k mod 8, each summed in double from +0
// in index order, then added ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7)): the order of tensor's
// vdot in reduce.ts, so its bits. Eight independent sums fill two vector registers and keep eight adds in
// flight, where one running sum waits for each add to finish. Float products are exact in double.
typedef double vdot_v4d __attribute__((vector_size(32)));
typedef float vdot_v4f __attribute__((vector_size(16)));

static inline __attribute__((always_inline)) vdot_v4d vdot_load_double(const double *p) {
  vdot_v4d v;
  memcpy(&v, p, sizeof v);
  return v;
}
static inline __attribute__((always_inline)) vdot_v4d vdot_load_float(const float *p) {
  vdot_v4f v;
  memcpy(&v, p, sizeof v);
  return __builtin_convertvector(v, vdot_v4d);
}

#define VDOT(T, SUFFIX, ATTR)                                                                    \
  ATTR static double vdot_##SUFFIX(const T *a, const T *b, long n) {                               \
    vdot_v4d low = {0, 0, 0, 0}, high = {0, 0, 0, 0};                                               \
    long k = 0;                                                                                     \
    for (; k + 8 <= n; k += 8) {                                                                    \
      low += vdot_load_##T(a + k) * vdot_load_##T(b + k);                                           \
      high += vdot_load_##T(a + k + 4) * vdot_load_##T(b + k + 4);                                  \
    }                                                                                               \
    double s[8];                                                                                    \
    memcpy(s, &low, sizeof low);                                                                    \
    memcpy(s + 4, &high, sizeof high);                                                              \
    for (; k < n; k++) s[k & 7] += (double)a[k] * (double)b[k];                                     \
    return ((s[0] + s[1]) + (s[2] + s[3])) + ((s[4] + s[5]) + (s[6] + s[7]));                       \
  }

#if defined(__x86_64__) || defined(__i386__)
VDOT(float, f32_avx2, __attribute__((target("avx2"))))
VDOT(double, f64_avx2, __attribute__((target("avx2"))))
#endif
VDOT(float, f32_base, )
VDOT(double, f64_base, )

double reduce_vdot(int is_f32, const void *a, const void *b, long n) {
#if defined(__x86_64__) || defined(__i386__)
  if (__builtin_cpu_supports("avx2")) return is_f32 ? vdot_f32_avx2(a, b, n) : vdot_f64_avx2(a, b, n);
#endif
  return is_f32 ? vdot_f32_base(a, b, n) : vdot_f64_base(a, b, n);
}
