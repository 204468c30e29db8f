// Adam's update of one parameter in place, with exactly the operations and order of
// packages/optim's readable loop (so the same bits; -ffp-contract=off keeps multiplies and adds apart):
//   m = β1·m + (1−β1)·g;   v = β2·v + (1−β2)·(g·g);   w = w − (lr·(m·c1)) / (√(v·c2) + ε)
// with c1 = 1/(1−β1ᵗ), c2 = 1/(1−β2ᵗ). float32 arrays are computed in float64 and rounded on each store,
// as JavaScript does with a Float32Array, and m and v are read back rounded.
#ifndef BACKPROP_ADAM_H
#define BACKPROP_ADAM_H

struct adam_args {
  double lr, beta1, beta2, epsilon, c1, c2;
};

void adam_f64(double *w, const double *g, double *m, double *v, long count, const struct adam_args *args);
void adam_f32(float *w, const float *g, float *m, float *v, long count, const struct adam_args *args);

#endif
