// Sums, means and variances along one axis with the summation order of @backprop-lab/tensor's reduce.ts,
// so the same bits: each output element is summed in double from +0, adding its inputs in index order
// along the axis; a mean divides that sum by the length; a variance subtracts the (double) mean and sums
// the squares the same way (two passes); float32 results are rounded once, on the store. The speed comes
// from running many outputs' sums side by side, never from reordering one sum.
#ifndef BACKPROP_REDUCE_H
#define BACKPROP_REDUCE_H

/** Reductions, in the order of REDUCE_OPS in src/index.ts. */
enum reduce_op { REDUCE_SUM, REDUCE_MEAN, REDUCE_VARIANCE, REDUCE_OPS };

/**
 * out[o, i] = op over k of x[o, k, i], x viewed as [outer, length, inner], out as [outer, inner]; is_f32
 * says whether both are float arrays (else double).
 */
void reduce_run(int op, int is_f32, void *out, const void *x, long outer, long length, long inner);

/**
 * Σ a[k]·b[k] over n elements of two float (is_f32) or double arrays, in double: eight running sums, as
 * tensor's vdot (reduce.ts) adds them, so its bits.
 */
double reduce_vdot(int is_f32, const void *a, const void *b, long n);

#endif
