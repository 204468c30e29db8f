// Loops of @backprop-lab/layers' fused net (packages/layers/src/kernels/fused-norm.ts, batchnorm.ts's
// batchStatistics, fc-net.ts's regularization), with the arithmetic of the JavaScript they replace:
// every intermediate in float64 (as JavaScript numbers are), rounded to the array's type exactly where
// JavaScript stores into a Float32Array, in the same order, no fused multiply-add. So the same bits.
// Shapes: a, out, dh, xhat [n, h] row-major; per-feature vectors [h].
#ifndef BACKPROP_LAYERS_H
#define BACKPROP_LAYERS_H

#define LAYER_DECLS(T, S)                                                                                  \
  void bn_stats_##S(const T *a, long n, long h, T *mu, T *variance);                                       \
  void bn_relu_##S(T *a, long n, long h, const T *mean, const T *variance, const T *gamma, const T *beta, \
                   double eps, T *sqrtvar, T *ivar, T *out);                                              \
  void bn_backward_##S(T *dh, const T *xhat, long n, long h, const T *gamma, const T *ivar, T *dgamma,    \
                       T *dbeta);                                                                         \
  double l2_##S(const T *w, T *dw, long count, double reg);                                                \
  void bias_relu_##S(T *a, long n, long h, const T *b, int relu);                                          \
  void relu_backward_##S(T *dh, const T *out, long count);                                                 \
  void column_sums_##S(T *sums, const T *dout, long n, long h);

LAYER_DECLS(double, f64)
LAYER_DECLS(float, f32)

#endif
