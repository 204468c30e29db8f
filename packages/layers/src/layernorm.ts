/**
 * Layer normalization (Ba, Kiros & Hinton 2016): batchnorm's formula applied per sample over its D
 * features, so it needs no batch statistics and behaves the same in train and test. Shapes: x [N, D].
 *   x̂ = (x − μₙ) / √(σ²ₙ + ε),  out = γ·x̂ + β      (μₙ, σ²ₙ: mean and biased variance of row n)
 *   dx = (1/D)·ivarₙ·(D·dx̂ − Σⱼdx̂ − x̂·Σⱼ(dx̂·x̂)),  dx̂ = dy·γ,  dγ = Σₙ dy·x̂,  dβ = Σₙ dy
 * (batchnorm's simplified backward with the roles of the axes swapped.)
 */
import {
  add,
  div,
  mean,
  mul,
  reshape,
  sqrt,
  sub,
  sum,
  type Tensor,
  variance as varianceOf,
} from '@backprop-lab/tensor';
import {
  expectFeatureVector,
  expectKnownKeys,
  expectMatrix,
  expectMode,
  expectNumber,
  expectShape,
  type Mode,
} from './validate.js';

export interface LayernormParam {
  /** Default 1e-5. */
  eps?: number;
  /** Accepted (and validated) so one param shape serves both norms; layernorm ignores it. */
  mode?: Mode;
}

export interface LayernormCache {
  /** [N, D] */
  xhat: Tensor;
  /** [N] 1 / √(σ²ₙ + ε) per sample */
  ivar: Tensor;
  /** [D] */
  gamma: Tensor;
}

export const LAYERNORM_EPS = 1e-5;

/** x [N, D], gamma [D], beta [D]  →  out [N, D] */
export function layernormForward(
  x: Tensor,
  gamma: Tensor,
  beta: Tensor,
  lnParam: LayernormParam = {},
): { out: Tensor; cache: LayernormCache } {
  const op = 'layernormForward';
  expectMatrix(op, 'x', x);
  expectFeatureVector(op, 'gamma', gamma, x);
  expectFeatureVector(op, 'beta', beta, x);
  expectKnownKeys(op, 'lnParam', lnParam, ['eps', 'mode']);
  if (lnParam.mode !== undefined) expectMode(op, 'lnParam.mode', lnParam.mode);
  const eps = expectNumber(op, 'lnParam.eps', lnParam.eps, LAYERNORM_EPS, { low: 0, lowOpen: true });
  // The statistics of each row, kept [N, 1] so they broadcast across its D features.
  const rows = { axis: 1, keepDims: true };
  const xmu = sub(x, mean(x, rows)); // [N, D]
  const ivar = div(1, sqrt(add(varianceOf(x, rows), eps))); // [N, 1]
  const xhat = mul(xmu, ivar); // [N, D]
  const out = add(mul(gamma, xhat), beta); // [N, D]; gamma, beta [D] broadcast over the rows
  return { out, cache: { xhat, ivar: reshape(ivar, [x.shape[0]]), gamma } };
}

/** dout [N, D]  →  dx [N, D], dgamma [D], dbeta [D] */
export function layernormBackward(
  dout: Tensor,
  cache: LayernormCache,
): { dx: Tensor; dgamma: Tensor; dbeta: Tensor } {
  const { xhat, ivar, gamma } = cache;
  expectShape('layernormBackward', 'dout', dout, xhat.shape, xhat.dtype, 'the forward output');
  const [N, D] = dout.shape;
  const dbeta = sum(dout, { axis: 0 }); // [D]: γ and β are per feature, so their sums run over the batch
  const dgamma = sum(mul(dout, xhat), { axis: 0 }); // [D]
  const dxhat = mul(dout, gamma); // [N, D]
  // The per-row sums run over the features, the axis the statistics were taken along.
  const rows = { axis: 1, keepDims: true };
  const sumDxhat = sum(dxhat, rows); // [N, 1]
  const sumDxhatXhat = sum(mul(dxhat, xhat), rows); // [N, 1]
  const scale = div(reshape(ivar, [N, 1]), D); // [N, 1]
  const dx = mul(scale, sub(sub(mul(dxhat, D), sumDxhat), mul(xhat, sumDxhatXhat)));
  return { dx, dgamma, dbeta };
}
