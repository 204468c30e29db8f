#define _GNU_SOURCE
#include "layers.h"

#include <math.h>
#include <stdlib.h>

/** Math.max(v, 0): NaN stays NaN, −0 gives +0. Two selects, no branch, so the loops vectorize. */
static inline double relu(double v) {
  const double positive = v > 0 ? v : 0.0;
  return v == v ? positive : v;
}

#define LAYER_IMPL(T, S)                                                                                  \
  /* batchStatistics: column sums in float64, mean and biased variance stored in T. */                    \
  void bn_stats_##S(const T *a, long n, long h, T *mu, T *variance) {                                     \
    double *sums = calloc((size_t)h, sizeof(double));                                                     \
    if (!sums) abort();                                                                                   \
    for (long row = 0; row < n * h; row += h)                                                             \
      for (long j = 0; j < h; j++) sums[j] += (double)a[row + j];                                         \
    for (long j = 0; j < h; j++) {                                                                        \
      mu[j] = (T)(sums[j] / (double)n);                                                                   \
      sums[j] = 0;                                                                                        \
    }                                                                                                     \
    for (long row = 0; row < n * h; row += h)                                                             \
      for (long j = 0; j < h; j++) {                                                                      \
        const double centered = (double)a[row + j] - (double)mu[j];                                       \
        sums[j] += centered * centered;                                                                   \
      }                                                                                                   \
    for (long j = 0; j < h; j++) variance[j] = (T)(sums[j] / (double)n);                                  \
    free(sums);                                                                                           \
  }                                                                                                       \
                                                                                                          \
  /* batchnormReluInPlace: a becomes x̂ (two stores, as the readable cache's xmu then xhat). */           \
  void bn_relu_##S(T *a, long n, long h, const T *mean, const T *variance, const T *gamma, const T *beta, \
                   double eps, T *sqrtvar, T *ivar, T *out) {                                             \
    for (long j = 0; j < h; j++) {                                                                        \
      sqrtvar[j] = (T)sqrt((double)variance[j] + eps);                                                    \
      ivar[j] = (T)(1 / (double)sqrtvar[j]);                                                              \
    }                                                                                                     \
    for (long row = 0; row < n * h; row += h)                                                             \
      for (long j = 0; j < h; j++) {                                                                      \
        const long i = row + j;                                                                           \
        a[i] = (T)((double)a[i] - (double)mean[j]);                                                       \
        a[i] = (T)((double)a[i] * (double)ivar[j]);                                                       \
        out[i] = (T)relu((double)gamma[j] * (double)a[i] + (double)beta[j]);                              \
      }                                                                                                   \
  }                                                                                                       \
                                                                                                          \
  /* batchnormBackwardInPlace: dh holds dy on entry and dx on exit; dgamma, dbeta summed in T. */         \
  void bn_backward_##S(T *dh, const T *xhat, long n, long h, const T *gamma, const T *ivar, T *dgamma,    \
                       T *dbeta) {                                                                        \
    double *scale = malloc((size_t)h * sizeof(double));                                                   \
    if (!scale) abort();                                                                                  \
    for (long j = 0; j < h; j++) dbeta[j] = dgamma[j] = 0;                                                \
    for (long row = 0; row < n * h; row += h)                                                             \
      for (long j = 0; j < h; j++) {                                                                      \
        dbeta[j] = (T)((double)dbeta[j] + (double)dh[row + j]);                                           \
        dgamma[j] = (T)((double)dgamma[j] + (double)dh[row + j] * (double)xhat[row + j]);                 \
      }                                                                                                   \
    for (long j = 0; j < h; j++) scale[j] = ((double)gamma[j] * (double)ivar[j]) / (double)n;             \
    for (long row = 0; row < n * h; row += h)                                                             \
      for (long j = 0; j < h; j++) {                                                                      \
        const long i = row + j;                                                                           \
        dh[i] = (T)(scale[j] * ((double)n * (double)dh[i] - (double)dbeta[j] -                            \
                                (double)xhat[i] * (double)dgamma[j]));                                    \
      }                                                                                                   \
    free(scale);                                                                                          \
  }                                                                                                       \
                                                                                                          \
  /* The regularization pass: returns Σ w² (summed in order, in float64) and adds reg·w to dw. */         \
  double l2_##S(const T *w, T *dw, long count, double reg) {                                              \
    double squares = 0;                                                                                   \
    for (long i = 0; i < count; i++) {                                                                    \
      const double x = (double)w[i];                                                                      \
      squares += x * x;                                                                                   \
      dw[i] = (T)((double)dw[i] + reg * x);                                                               \
    }                                                                                                     \
    return squares;                                                                                       \
  }                                                                                                       \
                                                                                                          \
  /* biasReluInPlace (relu = 1) or biasAddInPlace (relu = 0) of fused-layers.ts. */                       \
  void bias_relu_##S(T *a, long n, long h, const T *b, int with_relu) {                                   \
    if (with_relu) {                                                                                      \
      for (long row = 0; row < n * h; row += h)                                                           \
        for (long j = 0; j < h; j++) a[row + j] = (T)relu((double)a[row + j] + (double)b[j]);             \
    } else {                                                                                              \
      for (long row = 0; row < n * h; row += h)                                                           \
        for (long j = 0; j < h; j++) a[row + j] = (T)((double)a[row + j] + (double)b[j]);                 \
    }                                                                                                     \
  }                                                                                                       \
                                                                                                          \
  /* reluBackwardInPlace: dh where out > 0 (its bits untouched), else +0. */                              \
  void relu_backward_##S(T *dh, const T *out, long count) {                                               \
    for (long i = 0; i < count; i++) dh[i] = out[i] > 0 ? dh[i] : 0;                                      \
  }                                                                                                       \
                                                                                                          \
  /* columnSumsInto: sums[j] = Σₙ dout[n, j], accumulated in T. */                                        \
  void column_sums_##S(T *sums, const T *dout, long n, long h) {                                          \
    for (long j = 0; j < h; j++) sums[j] = 0;                                                             \
    for (long row = 0; row < n * h; row += h)                                                             \
      for (long j = 0; j < h; j++) sums[j] = (T)((double)sums[j] + (double)dout[row + j]);                \
  }

LAYER_IMPL(double, f64)
LAYER_IMPL(float, f32)
