// In-place ops on one array, with the bits of @backprop-lab/tensor's JavaScript loops (inplace.ts).
#ifndef BACKPROP_INPLACE_H
#define BACKPROP_INPLACE_H

/**
 * target[i] += alpha · x[i] for i < count, computed in double and rounded once on the store (as JavaScript
 * does with a Float32Array); is_f32 says whether both are float arrays (else double).
 */
void add_scaled(int is_f32, void *target, const void *x, double alpha, long count);

#endif
