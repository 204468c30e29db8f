/**
 * Fused loops for batchnorm and layernorm between an affine and a ReLU, in place over buffers the caller
 * owns. Same arithmetic, order and dtype stores as batchnorm.ts / batchnorm-backward.ts (simplified form)
 * and layernorm.ts, so the same bits; fused.test.ts checks each against its original.
 * Shapes: a, out, dh, xhat [N, H] row-major; per-feature vectors [H]; per-sample vectors [N].
 */
import type { TypedArray } from '@backprop-lab/tensor';
import { relu } from './fused-layers.js';

/**
 * Batchnorm's normalize, then ReLU:  x̂ = (a − mean) / √(variance + ε),  out = max(γ·x̂ + β, 0).
 * a [N, H] holds the affine output on entry and x̂ on exit (batchnorm backward needs only x̂ and ivar).
 * sqrtvar and ivar [H] receive √(variance + ε) and its reciprocal, in a's dtype as the readable cache.
 * Train mode passes the batch's mean and variance, test mode the running ones.
 */
export function batchnormReluInPlace(
  a: TypedArray,
  mean: ArrayLike<number>,
  variance: ArrayLike<number>,
  gamma: TypedArray,
  beta: TypedArray,
  eps: number,
  sqrtvar: TypedArray,
  ivar: TypedArray,
  out: TypedArray,
): void {
  const H = gamma.length;
  for (let j = 0; j < H; j++) {
    sqrtvar[j] = Math.sqrt(variance[j] + eps);
    ivar[j] = 1 / sqrtvar[j];
  }
  for (let row = 0; row < a.length; row += H) {
    for (let j = 0; j < H; j++) {
      const i = row + j;
      // Two stores, as the readable cache keeps xmu and xhat: in float32 each is rounded on the way.
      a[i] = a[i] - mean[j];
      a[i] = a[i] * ivar[j];
      out[i] = relu(gamma[j] * a[i] + beta[j]);
    }
  }
}

/**
 * Batchnorm backward, simplified form (batchnormBackwardAlt), in place: dh holds dy on entry, dx on exit.
 *   dx = (1/N)·γ·ivar·(N·dy − Σdy − x̂·Σ(dy·x̂)),  dγ = Σ dy·x̂,  dβ = Σ dy   (sums over the batch)
 * dgamma and dbeta [H] are overwritten (accumulated in their dtype, as the readable form's).
 */
export function batchnormBackwardInPlace(
  dh: TypedArray,
  xhat: TypedArray,
  gamma: TypedArray,
  ivar: TypedArray,
  dgamma: TypedArray,
  dbeta: TypedArray,
): void {
  const H = gamma.length;
  const N = dh.length / H;
  dbeta.fill(0);
  dgamma.fill(0);
  for (let row = 0; row < dh.length; row += H) {
    for (let j = 0; j < H; j++) {
      dbeta[j] += dh[row + j];
      dgamma[j] += dh[row + j] * xhat[row + j];
    }
  }
  const scale = new Float64Array(H); // (1/N)·γ·ivar per feature
  for (let j = 0; j < H; j++) scale[j] = (gamma[j] * ivar[j]) / N;
  for (let row = 0; row < dh.length; row += H) {
    for (let j = 0; j < H; j++) {
      const i = row + j;
      dh[i] = scale[j] * (N * dh[i] - dbeta[j] - xhat[i] * dgamma[j]);
    }
  }
}

/**
 * Layernorm (per sample over its H features), then ReLU. a [N, H] holds the affine output on entry and
 * x̂ on exit; ivar [N] receives 1/√(σ²ₙ + ε); out = max(γ·x̂ + β, 0).
 */
export function layernormReluInPlace(
  a: TypedArray,
  gamma: TypedArray,
  beta: TypedArray,
  eps: number,
  ivar: TypedArray,
  out: TypedArray,
): void {
  const H = gamma.length;
  for (let n = 0, row = 0; row < a.length; n++, row += H) {
    let total = 0;
    for (let j = 0; j < H; j++) total += a[row + j];
    const mu = total / H;
    let squares = 0;
    for (let j = 0; j < H; j++) squares += (a[row + j] - mu) ** 2;
    ivar[n] = 1 / Math.sqrt(squares / H + eps);
    for (let j = 0; j < H; j++) {
      a[row + j] = (a[row + j] - mu) * ivar[n];
      out[row + j] = relu(gamma[j] * a[row + j] + beta[j]);
    }
  }
}

/**
 * Layernorm backward (layernormBackward) in place: dh holds dy on entry, dx on exit.
 *   dx = (1/H)·ivarₙ·(H·dx̂ − Σⱼdx̂ − x̂·Σⱼ(dx̂·x̂)),  dx̂ = dy·γ,  dγ = Σₙ dy·x̂,  dβ = Σₙ dy
 */
export function layernormBackwardInPlace(
  dh: TypedArray,
  xhat: TypedArray,
  gamma: TypedArray,
  ivar: TypedArray,
  dgamma: TypedArray,
  dbeta: TypedArray,
): void {
  const H = gamma.length;
  dbeta.fill(0);
  dgamma.fill(0);
  const dxhat = new Float64Array(H);
  for (let n = 0, row = 0; row < dh.length; n++, row += H) {
    let sumDxhat = 0;
    let sumDxhatXhat = 0;
    for (let j = 0; j < H; j++) {
      const i = row + j;
      dbeta[j] += dh[i];
      dgamma[j] += dh[i] * xhat[i];
      dxhat[j] = dh[i] * gamma[j];
      sumDxhat += dxhat[j];
      sumDxhatXhat += dxhat[j] * xhat[i];
    }
    // The whole row of dy is in dxhat now, so dx may overwrite it.
    const scale = ivar[n] / H;
    for (let j = 0; j < H; j++)
      dh[row + j] = scale * (H * dxhat[j] - sumDxhat - xhat[row + j] * sumDxhatXhat);
  }
}
