/**
 * Batch normalization (Ioffe & Szegedy 2015). Shapes: N batch, D features; statistics are per feature.
 *   train:  x̂ = (x − μ_B) / √(σ²_B + ε),  out = γ·x̂ + β,  μ_B, σ²_B the batch mean and biased variance
 *           running = momentum·running + (1 − momentum)·batch
 *   test:   the same with the running mean and variance in place of the batch's
 * Backward, simplified (derivation: docs/batchnorm-backward.md):
 *   dx = (1/N)·γ·(σ² + ε)^(-1/2)·(N·dy − Σdy − x̂·Σ(dy·x̂)),  dγ = Σ dy·x̂,  dβ = Σ dy
 */
import {
  add,
  div,
  formatShape,
  mean,
  mul,
  ShapeError,
  sqrt,
  sub,
  type Tensor,
  variance as varianceOf,
  zeros,
} from '@backprop-lab/tensor';
import {
  expectFeatureVector,
  expectKnownKeys,
  expectMatrix,
  expectMode,
  expectNumber,
  type Mode,
} from './validate.js';

/**
 * Per-layer settings and state. Train mode MUTATES it: the updated running statistics are stored back
 * (new tensors, created as zeros(D) of x's dtype when absent), as CS231n's bn_param. Test mode never writes.
 */
export interface BatchnormParam {
  mode: Mode;
  /** Added to the variance before the square root. Default 1e-5. */
  eps?: number;
  /** Weight of the old running value. Default 0.9 (PyTorch's momentum=0.1 means the same). */
  momentum?: number;
  /** [D] running mean. */
  runningMean?: Tensor;
  /** [D] running biased variance. */
  runningVar?: Tensor;
}

/** The forward graph's nodes that backward needs, named as in docs/batchnorm-backward.md. */
export interface BatchnormTrainCache {
  mode: 'train';
  /** [N, D] x − mu */
  xmu: Tensor;
  /** [D] biased batch variance */
  variance: Tensor;
  /** [D] √(variance + eps) */
  sqrtvar: Tensor;
  /** [D] 1 / sqrtvar */
  ivar: Tensor;
  /** [N, D] xmu · ivar */
  xhat: Tensor;
  /** [D] */
  gamma: Tensor;
  eps: number;
}

/** Test mode normalizes with fixed statistics; its backward is not defined here (train mode is). */
export interface BatchnormTestCache {
  mode: 'test';
  shape: readonly number[];
}

export type BatchnormCache = BatchnormTrainCache | BatchnormTestCache;

export const BATCHNORM_EPS = 1e-5;
export const BATCHNORM_MOMENTUM = 0.9;
const PARAM_KEYS = ['mode', 'eps', 'momentum', 'runningMean', 'runningVar'];

/** x [N, D], gamma [D], beta [D]  →  out [N, D]. Train mode updates bnParam's running statistics. */
export function batchnormForward(
  x: Tensor,
  gamma: Tensor,
  beta: Tensor,
  bnParam: BatchnormParam,
): { out: Tensor; cache: BatchnormCache } {
  const op = 'batchnormForward';
  expectMatrix(op, 'x', x);
  expectFeatureVector(op, 'gamma', gamma, x);
  expectFeatureVector(op, 'beta', beta, x);
  const { mode, eps, momentum, runningMean, runningVar } = readBatchnormParam(op, bnParam, x);

  if (mode === 'test') {
    const { out } = normalize(x, runningMean, runningVar, gamma, beta, eps);
    return { out, cache: { mode: 'test', shape: x.shape } };
  }
  const mu = mean(x, { axis: 0 }); // [D]
  const variance = varianceOf(x, { axis: 0 }); // [D], biased (divides by N)
  const { out, xmu, sqrtvar, ivar, xhat } = normalize(x, mu, variance, gamma, beta, eps);
  bnParam.runningMean = add(mul(momentum, runningMean), mul(1 - momentum, mu));
  bnParam.runningVar = add(mul(momentum, runningVar), mul(1 - momentum, variance));
  return { out, cache: { mode: 'train', xmu, variance, sqrtvar, ivar, xhat, gamma, eps } };
}

/** The forward graph from stage 2 on (docs/batchnorm-backward.md), with batch or running statistics. */
function normalize(x: Tensor, mu: Tensor, variance: Tensor, gamma: Tensor, beta: Tensor, eps: number) {
  const xmu = sub(x, mu); // [N, D]; mu [D] broadcasts over the rows
  const sqrtvar = sqrt(add(variance, eps)); // [D]
  const ivar = div(1, sqrtvar); // [D]
  const xhat = mul(xmu, ivar); // [N, D]
  const out = add(mul(gamma, xhat), beta); // [N, D]
  return { out, xmu, sqrtvar, ivar, xhat };
}

/**
 * bnParam's settings with their defaults and its running statistics (zeros(D) when absent), checked
 * against x [N, D]; train mode also needs N >= 2.
 */
function readBatchnormParam(op: string, bnParam: BatchnormParam, x: Tensor) {
  expectKnownKeys(op, 'bnParam', bnParam, PARAM_KEYS);
  const mode = expectMode(op, 'bnParam.mode', bnParam.mode);
  const eps = expectNumber(op, 'bnParam.eps', bnParam.eps, BATCHNORM_EPS, { low: 0, lowOpen: true });
  const momentum = expectNumber(op, 'bnParam.momentum', bnParam.momentum, BATCHNORM_MOMENTUM, {
    low: 0,
    high: 1,
  });
  const [N, D] = x.shape;
  const runningMean = bnParam.runningMean ?? zeros([D], x.dtype);
  const runningVar = bnParam.runningVar ?? zeros([D], x.dtype);
  expectFeatureVector(op, 'bnParam.runningMean', runningMean, x);
  expectFeatureVector(op, 'bnParam.runningVar', runningVar, x);
  if (mode === 'train' && N < 2) {
    throw new ShapeError(
      `${op}: train mode needs at least 2 samples, got x of shape ${formatShape(x.shape)} (the batch variance of one sample is 0 by construction)`,
    );
  }
  return { mode, eps, momentum, runningMean, runningVar };
}
