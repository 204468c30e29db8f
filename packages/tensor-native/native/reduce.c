#include "reduce.h"

#include <stddef.h>

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
