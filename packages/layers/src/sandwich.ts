/**
 * Layer sandwiches: the fixed sequences a fully connected net repeats. Shapes: x [N, D], W [D, H], b [H].
 *   affine - relu
 *   affine - batchnorm|layernorm - relu
 * Derived from the layers above, they need no math of their own: backward runs the pieces in reverse.
 * Each takes the LayerSet it composes (default: the package's own), so a user's layer runs inside them.
 */
import type { Tensor } from '@backprop-lab/tensor';
import type { AffineCache } from './affine.js';
import type { BatchnormCache, BatchnormParam } from './batchnorm.js';
import { defaultLayers, type LayerSet } from './layer-set.js';
import type { LayernormCache, LayernormParam } from './layernorm.js';
import type { ReluCache } from './relu.js';

export interface AffineReluCache {
  affine: AffineCache;
  relu: ReluCache;
}

/** x [N, D], W [D, H], b [H]  →  out [N, H] */
export function affineReluForward(
  x: Tensor,
  W: Tensor,
  b: Tensor,
  layers: LayerSet = defaultLayers,
): { out: Tensor; cache: AffineReluCache } {
  const affine = layers.affineForward(x, W, b);
  const relu = layers.reluForward(affine.out);
  return { out: relu.out, cache: { affine: affine.cache, relu: relu.cache } };
}

/** dout [N, H]  →  dx [N, D], dW [D, H], db [H] */
export function affineReluBackward(
  dout: Tensor,
  cache: AffineReluCache,
  layers: LayerSet = defaultLayers,
): { dx: Tensor; dW: Tensor; db: Tensor } {
  return layers.affineBackward(layers.reluBackward(dout, cache.relu), cache.affine);
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
  layers: LayerSet = defaultLayers,
): { out: Tensor; cache: AffineNormReluCache } {
  const affine = layers.affineForward(x, W, b);
  let normalized: Tensor;
  let normCache: NormCache;
  if (norm?.kind === 'batchnorm') {
    const result = layers.batchnormForward(affine.out, gamma, beta, norm.param);
    normalized = result.out;
    normCache = { kind: 'batchnorm', cache: result.cache };
  } else if (norm?.kind === 'layernorm') {
    const result = layers.layernormForward(affine.out, gamma, beta, norm.param);
    normalized = result.out;
    normCache = { kind: 'layernorm', cache: result.cache };
  } else {
    throw new RangeError(
      `affineNormReluForward: norm.kind must be 'batchnorm' or 'layernorm', got ${String((norm as { kind?: unknown })?.kind)}`,
    );
  }
  const relu = layers.reluForward(normalized);
  return { out: relu.out, cache: { affine: affine.cache, norm: normCache, relu: relu.cache } };
}

/** dout [N, H]  →  dx [N, D], dW [D, H], db [H], dgamma [H], dbeta [H] */
export function affineNormReluBackward(
  dout: Tensor,
  cache: AffineNormReluCache,
  layers: LayerSet = defaultLayers,
): { dx: Tensor; dW: Tensor; db: Tensor; dgamma: Tensor; dbeta: Tensor } {
  const dnorm = layers.reluBackward(dout, cache.relu);
  const {
    dx: daffine,
    dgamma,
    dbeta,
  } = cache.norm.kind === 'batchnorm'
    ? layers.batchnormBackward(dnorm, cache.norm.cache)
    : layers.layernormBackward(dnorm, cache.norm.cache);
  const { dx, dW, db } = layers.affineBackward(daffine, cache.affine);
  return { dx, dW, db, dgamma, dbeta };
}
