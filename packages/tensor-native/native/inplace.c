#include "inplace.h"

// No restrict: x may be target itself (the compiler checks for overlap before its vector loop).
// -ffp-contract=off keeps the multiply and the add apart, as JavaScript computes them; each element is
// independent, so the compiler vectorizes the loops as they are.
#define ADD_SCALED(T, SUFFIX, ATTR)                                                               \
  ATTR static void add_scaled_##SUFFIX(T *target, const T *x, double alpha, long count) { \
    for (long i = 0; i < count; i++) target[i] = (T)((double)target[i] + alpha * (double)x[i]);      \
  }

#if defined(__x86_64__) || defined(__i386__)
ADD_SCALED(float, f32_avx2, __attribute__((target("avx2"))))
ADD_SCALED(double, f64_avx2, __attribute__((target("avx2"))))
#define INPLACE_AVX2 __builtin_cpu_supports("avx2")
#else
#define INPLACE_AVX2 0
#endif
ADD_SCALED(float, f32_base, )
ADD_SCALED(double, f64_base, )

void add_scaled(int is_f32, void *target, const void *x, double alpha, long count) {
#if defined(__x86_64__) || defined(__i386__)
  if (INPLACE_AVX2) {
    if (is_f32) add_scaled_f32_avx2(target, x, alpha, count);
    else add_scaled_f64_avx2(target, x, alpha, count);
    return;
  }
#endif
  if (is_f32) add_scaled_f32_base(target, x, alpha, count);
  else add_scaled_f64_base(target, x, alpha, count);
}
