/**
 * Layer normalization (Ba, Kiros & Hinton 2016): batchnorm's formula applied per sample over its D
 * features, so it needs no batch statistics and behaves the same in train and test. Shapes: x [N, D].
 *   x̂ = (x − μₙ) / √(σ²ₙ + ε),  out = γ·x̂ + β      (μₙ, σ²ₙ: mean and biased variance of row n)
 *   dx = (1/D)·ivarₙ·(D·dx̂ − Σⱼdx̂ − x̂·Σⱼ(dx̂·x̂)),  dx̂ = dy·γ,  dγ = Σₙ dy·x̂,  dβ = Σₙ dy
 * (batchnorm's simplified backward with the roles of the axes swapped.)
 */
import { allocate, Tensor } from '@backprop-lab/tensor';
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
  const [N, D] = x.shape;
  const v = x.data;
  const g = gamma.data;
  const b = beta.data;
  const xhat = allocate(x.dtype, x.size);
  const out = allocate(x.dtype, x.size);
  const ivar = allocate(x.dtype, N);
  for (let n = 0; n < N; n++) {
    const row = n * D;
    let total = 0;
    for (let j = 0; j < D; j++) total += v[row + j];
    const mu = total / D;
    let squares = 0;
    for (let j = 0; j < D; j++) squares += (v[row + j] - mu) ** 2;
    ivar[n] = 1 / Math.sqrt(squares / D + eps);
    for (let j = 0; j < D; j++) {
      xhat[row + j] = (v[row + j] - mu) * ivar[n];
      out[row + j] = g[j] * xhat[row + j] + b[j];
    }
  }
  return {
    out: new Tensor(out, x.shape),
    cache: { xhat: new Tensor(xhat, x.shape), ivar: new Tensor(ivar, [N]), gamma },
  };
}

/** dout [N, D]  →  dx [N, D], dgamma [D], dbeta [D] */
export function layernormBackward(
  dout: Tensor,
  cache: LayernormCache,
): { dx: Tensor; dgamma: Tensor; dbeta: Tensor } {
  const { xhat, ivar, gamma } = cache;
  expectShape('layernormBackward', 'dout', dout, xhat.shape, xhat.dtype, 'the forward output');
  const [N, D] = dout.shape;
  const dy = dout.data;
  const xh = xhat.data;
  const g = gamma.data;
  const dgamma = allocate(dout.dtype, D);
  const dbeta = allocate(dout.dtype, D);
  const dx = allocate(dout.dtype, dy.length);
  const dxhat = new Float64Array(D);
  for (let n = 0; n < N; n++) {
    const row = n * D;
    let sumDxhat = 0;
    let sumDxhatXhat = 0;
    for (let j = 0; j < D; j++) {
      const i = row + j;
      dbeta[j] += dy[i];
      dgamma[j] += dy[i] * xh[i];
      dxhat[j] = dy[i] * g[j];
      sumDxhat += dxhat[j];
      sumDxhatXhat += dxhat[j] * xh[i];
    }
    const scale = ivar.data[n] / D;
    for (let j = 0; j < D; j++) dx[row + j] = scale * (D * dxhat[j] - sumDxhat - xh[row + j] * sumDxhatXhat);
  }
  return { dx: new Tensor(dx, dout.shape), dgamma: new Tensor(dgamma, [D]), dbeta: new Tensor(dbeta, [D]) };
}
