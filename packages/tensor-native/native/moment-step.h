// A step of w along the ratio of two moving moments of g, in place (Adam's update, as optim's adamInPlace
// uses it), with exactly the operations and order of tensor's momentStepInPlace JavaScript loop (so the same
// bits; -ffp-contract=off keeps multiplies and adds apart):
//   m = d1·m + (1−d1)·g;   v = d2·v + (1−d2)·(g·g);   w = w − (rate·(m·c1)) / (√(v·c2) + ε)
// where c1, c2 rescale the moments (Adam's bias corrections 1/(1−β1ᵗ), 1/(1−β2ᵗ)). float32 arrays are
// computed in float32, every operation and constant rounded to float as numpy's float32 Adam does (the
// JavaScript loop rounds each with Math.fround: a float64 result of float inputs rounded once to float is
// the float result, for + − × ÷ and √): float32 division and square root run at twice the lanes and
// several times the speed of float64's.
#ifndef BACKPROP_MOMENT_STEP_H
#define BACKPROP_MOMENT_STEP_H

struct moment_step_args {
  double rate, decay1, decay2, epsilon, c1, c2;
};

void moment_step_f64(double *w, const double *g, double *m, double *v, long count, const struct moment_step_args *args);
void moment_step_f32(float *w, const float *g, float *m, float *v, long count, const struct moment_step_args *args);

#endif
