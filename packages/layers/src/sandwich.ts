/**
 * Layer sandwiches: the fixed sequences a fully connected net repeats. Shapes: x [N, D], W [D, H], b [H].
 *   affine - relu
 *   affine - batchnorm|layernorm - relu
 * Derived from the layers above, they need no math of their own: backward runs the pieces in reverse.
 */
import type { Tensor } from '@backprop-lab/tensor';
import { type AffineCache, affineBackward, affineForward } from './affine.js';
import { type BatchnormCache, type BatchnormParam, batchnormForward } from './batchnorm.js';
import { batchnormBackwardAlt } from './batchnorm-backward.js';
import {
  type LayernormCache,
  type LayernormParam,
  layernormBackward,
  layernormForward,
} from './layernorm.js';
import { type ReluCache, reluBackward, reluForward } from './relu.js';

export interface AffineReluCache {
  affine: AffineCache;
  relu: ReluCache;
}

/** x [N, D], W [D, H], b [H]  →  out [N, H] */
export function affineReluForward(x: Tensor, W: Tensor, b: Tensor): { out: Tensor; cache: AffineReluCache } {
  const affine = affineForward(x, W, b);
  const relu = reluForward(affine.out);
  return { out: relu.out, cache: { affine: affine.cache, relu: relu.cache } };
}

/** dout [N, H]  →  dx [N, D], dW [D, H], db [H] */
export function affineReluBackward(
  dout: Tensor,
  cache: AffineReluCache,
): { dx: Tensor; dW: Tensor; db: Tensor } {
  return affineBackward(reluBackward(dout, cache.relu), cache.affine);
}

/** Which normalization sits between the affine and the ReLU, with its parameters. */
export type NormSpec =
  | { kind: 'batchnorm'; param: BatchnormParam }
  | { kind: 'layernorm'; param?: LayernormParam };

export type NormCache =
  | { kind: 'batchnorm'; cache: BatchnormCache }
  | { kind: 'layernorm'; cache: LayernormCache };

export interface AffineNormReluCache {
  affine: AffineCache;
  norm: NormCache;
  relu: ReluCache;
}

/** x [N, D], W [D, H], b [H], gamma [H], beta [H]  →  out [N, H]. Batchnorm in train mode updates norm.param. */
export function affineNormReluForward(
  x: Tensor,
  W: Tensor,
  b: Tensor,
  gamma: Tensor,
  beta: Tensor,
  norm: NormSpec,
): { out: Tensor; cache: AffineNormReluCache } {
  const affine = affineForward(x, W, b);
  let normalized: Tensor;
  let normCache: NormCache;
  if (norm?.kind === 'batchnorm') {
    const result = batchnormForward(affine.out, gamma, beta, norm.param);
    normalized = result.out;
    normCache = { kind: 'batchnorm', cache: result.cache };
  } else if (norm?.kind === 'layernorm') {
    const result = layernormForward(affine.out, gamma, beta, norm.param);
    normalized = result.out;
    normCache = { kind: 'layernorm', cache: result.cache };
  } else {
    throw new RangeError(
      `affineNormReluForward: norm.kind must be 'batchnorm' or 'layernorm', got ${String((norm as { kind?: unknown })?.kind)}`,
    );
  }
  const relu = reluForward(normalized);
  return { out: relu.out, cache: { affine: affine.cache, norm: normCache, relu: relu.cache } };
}

/** dout [N, H]  →  dx [N, D], dW [D, H], db [H], dgamma [H], dbeta [H] */
export function affineNormReluBackward(
  dout: Tensor,
  cache: AffineNormReluCache,
): { dx: Tensor; dW: Tensor; db: Tensor; dgamma: Tensor; dbeta: Tensor } {
  const dnorm = reluBackward(dout, cache.relu);
  // The simplified batchnorm form: same numbers as the graph form (tested to 1e-12), several times faster.
  const {
    dx: daffine,
    dgamma,
    dbeta,
  } = cache.norm.kind === 'batchnorm'
    ? batchnormBackwardAlt(dnorm, cache.norm.cache)
    : layernormBackward(dnorm, cache.norm.cache);
  const { dx, dW, db } = affineBackward(daffine, cache.affine);
  return { dx, dW, db, dgamma, dbeta };
}
