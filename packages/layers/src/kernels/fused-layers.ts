/**
 * Fused loops for the affine, ReLU and dropout layers of a fully connected net, writing into buffers
 * the caller owns (kernels/workspace.ts) instead of returning new tensors. Each names the readable
 * function it mirrors and does the same arithmetic in the same order, storing to the same dtype at
 * the same points, so it gives the same bits; fused.test.ts checks each against its original.
 * Shapes: N batch, H units; [N, H] buffers are row-major, element (n, j) at n·H + j.
 */
import type { Rng, TypedArray } from '@backprop-lab/tensor';

/**
 * Math.max(v, 0), the same value for every v (NaN stays NaN, −0 gives +0), without branching on the sign
 * of v. Math.max compiles to compare-and-jump; with about half of a layer's units negative, the CPU
 * mispredicts half of those jumps, and that cost more than the rest of the loop (5-9 ns an element
 * against about 1). (v + |v|)·½ is max(v, 0) exactly, since doubling and halving are exact, except where
 * it comes out non-finite (v NaN, −∞, +∞, or 2v overflowing): those rare cases, a well-predicted branch,
 * take Math.max itself. In float32, storing fround(max(s, 0)) equals max(fround(s), 0): the same bits.
 */
export function relu(v: number): number {
  const r = (v + Math.abs(v)) * 0.5;
  return r - r === 0 ? r : Math.max(v, 0);
}

/**
 * a[n, j] = max(a[n, j] + b[j], 0), in place: a holds x·W on entry and the ReLU output on exit.
 * affineForward's bias add, then reluForward. ReLU backward needs only where its input was > 0, and
 * that is where its output is > 0, so no pre-activation is kept.
 */
export function biasReluInPlace(a: TypedArray, b: TypedArray): void {
  const H = b.length;
  for (let row = 0; row < a.length; row += H) {
    for (let j = 0; j < H; j++) a[row + j] = relu(a[row + j] + b[j]);
  }
}

/** a[n, j] += b[j], in place: affineForward's bias add. */
export function biasAddInPlace(a: TypedArray, b: TypedArray): void {
  const H = b.length;
  for (let row = 0; row < a.length; row += H) for (let j = 0; j < H; j++) a[row + j] += b[j];
}

/**
 * dh = dh where out > 0, else +0, in place: reluBackward, reading the ReLU's output for its input (one
 * is > 0 exactly where the other is; NaN passes neither). As in relu() above, a select on the sign would
 * be mispredicted half the time, so this clears the bits instead: Number(out > 0) compiles without a
 * jump, −1 or 0 as an Int32 is an all-ones or all-zeros mask, and dh AND mask is dh itself (−0, NaN and
 * all) or +0: the readable form's value, bit for bit.
 */
export function reluBackwardInPlace(dh: TypedArray, out: TypedArray): void {
  const bits = new Int32Array(dh.buffer, dh.byteOffset, dh.byteLength >> 2);
  if (dh instanceof Float32Array) {
    for (let i = 0; i < dh.length; i++) bits[i] &= -Number(out[i] > 0);
    return;
  }
  for (let i = 0; i < dh.length; i++) {
    const keep = -Number(out[i] > 0);
    bits[2 * i] &= keep;
    bits[2 * i + 1] &= keep;
  }
}

/** sums[j] = Σₙ dout[n, j], accumulated in the dtype of `sums` as affineBackward's db is. */
export function columnSumsInto(sums: TypedArray, dout: TypedArray): void {
  const H = sums.length;
  sums.fill(0);
  for (let row = 0; row < dout.length; row += H) for (let j = 0; j < H; j++) sums[j] += dout[row + j];
}

/**
 * Train-mode inverted dropout into preallocated mask and out: dropoutForward's loop, drawing one
 * uniform per element from `rng` in the same order. p = keep probability.
 */
export function dropoutInto(x: TypedArray, p: number, rng: Rng, mask: TypedArray, out: TypedArray): void {
  const keep = 1 / p;
  for (let i = 0; i < mask.length; i++) {
    // keep·1 or keep·0 (= +0, keep > 0): dropoutForward's `u < p ? keep : 0` without a jump to mispredict.
    mask[i] = keep * Number(rng.uniform() < p);
    out[i] = x[i] * mask[i];
  }
}

/** dh = dh · mask, in place: dropoutBackward. */
export function mulInPlace(dh: TypedArray, mask: TypedArray): void {
  for (let i = 0; i < dh.length; i++) dh[i] *= mask[i];
}
