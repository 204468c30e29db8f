/**
 * Batch normalization (Ioffe & Szegedy 2015). Shapes: N batch, D features; statistics are per feature.
 *   train:  x̂ = (x − μ_B) / √(σ²_B + ε),  out = γ·x̂ + β,  μ_B, σ²_B the batch mean and biased variance
 *           running = momentum·running + (1 − momentum)·batch
 *   test:   the same with the running mean and variance in place of the batch's
 * Backward, simplified (derivation: docs/batchnorm-backward.md):
 *   dx = (1/N)·γ·(σ² + ε)^(-1/2)·(N·dy − Σdy − x̂·Σ(dy·x̂)),  dγ = Σ dy·x̂,  dβ = Σ dy
 */
import { allocate, type DType, formatShape, ShapeError, Tensor, zeros } from '@backprop-lab/tensor';
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
    const out = normalize(x, runningMean.data, runningVar.data, gamma, beta, eps).out;
    return { out, cache: { mode: 'test', shape: x.shape } };
  }
  const D = x.shape[1];
  const { mu, variance } = batchStatistics(x);
  const { out, xmu, sqrtvar, ivar, xhat } = normalize(x, mu, variance, gamma, beta, eps);
  bnParam.runningMean = movingAverage(runningMean, mu, momentum);
  bnParam.runningVar = movingAverage(runningVar, variance, momentum);
  const vector = (data: Float64Array | Float32Array) => new Tensor(data, [D]);
  return {
    out,
    cache: {
      mode: 'train',
      xmu,
      variance: vector(variance),
      sqrtvar: vector(sqrtvar),
      ivar: vector(ivar),
      xhat,
      gamma,
      eps,
    },
  };
}

/**
 * bnParam's settings with their defaults and its running statistics (zeros(D) when absent), checked
 * against x [N, D]; train mode also needs N >= 2. Shared with the fused net kernels (kernels/), so
 * both report a bad bnParam with the same message.
 */
export function readBatchnormParam(op: string, bnParam: BatchnormParam, x: Tensor) {
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

/** Per-feature mean and biased variance of x [N, D], two passes for accuracy. */
export function batchStatistics(x: Tensor) {
  const [N, D] = x.shape;
  const mu = allocate(x.dtype, D);
  const variance = allocate(x.dtype, D);
  const v = x.data;
  const sums = new Float64Array(D);
  for (let row = 0; row < v.length; row += D) for (let j = 0; j < D; j++) sums[j] += v[row + j];
  for (let j = 0; j < D; j++) mu[j] = sums[j] / N;
  sums.fill(0);
  for (let row = 0; row < v.length; row += D) {
    for (let j = 0; j < D; j++) {
      const centered = v[row + j] - mu[j];
      sums[j] += centered * centered;
    }
  }
  for (let j = 0; j < D; j++) variance[j] = sums[j] / N;
  return { mu, variance };
}

/** xmu = x − mean, xhat = xmu / √(variance + eps), out = gamma·xhat + beta, in one pass over x. */
function normalize(
  x: Tensor,
  mean: ArrayLike<number>,
  variance: ArrayLike<number>,
  gamma: Tensor,
  beta: Tensor,
  eps: number,
) {
  const D = x.shape[1];
  const dtype: DType = x.dtype;
  const sqrtvar = allocate(dtype, D);
  const ivar = allocate(dtype, D);
  for (let j = 0; j < D; j++) {
    sqrtvar[j] = Math.sqrt(variance[j] + eps);
    ivar[j] = 1 / sqrtvar[j];
  }
  const xmu = allocate(dtype, x.size);
  const xhat = allocate(dtype, x.size);
  const out = allocate(dtype, x.size);
  const v = x.data;
  const g = gamma.data;
  const b = beta.data;
  for (let row = 0; row < v.length; row += D) {
    for (let j = 0; j < D; j++) {
      const i = row + j;
      xmu[i] = v[i] - mean[j];
      xhat[i] = xmu[i] * ivar[j];
      out[i] = g[j] * xhat[i] + b[j];
    }
  }
  return {
    out: new Tensor(out, x.shape),
    xmu: new Tensor(xmu, x.shape),
    xhat: new Tensor(xhat, x.shape),
    sqrtvar,
    ivar,
  };
}

/** running·momentum + batch·(1 − momentum), as a new tensor: a caller holding the old one keeps it. */
export function movingAverage(running: Tensor, batch: ArrayLike<number>, momentum: number): Tensor {
  const next = allocate(running.dtype, running.size);
  for (let j = 0; j < next.length; j++) next[j] = momentum * running.data[j] + (1 - momentum) * batch[j];
  return new Tensor(next, running.shape);
}
